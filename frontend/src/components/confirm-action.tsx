import { useState, type ReactNode } from 'react';

type ConfirmActionProps = {
  /** Text of both the first button and the confirming one, e.g. "Delete". */
  label: string;
  /** Accessible name of the first button, naming what it acts on. */
  ariaLabel: string;
  /** The question shown with the confirm and cancel buttons (rendered as text). */
  question: ReactNode;
  onConfirm: () => void;
  /** Disables the confirming button, e.g. while the action runs. */
  busy?: boolean;
  /** data-testid of the first button; the confirming one gets `${testId}-confirm`. */
  testId?: string;
};

/** A destructive action that asks first: one button, then the question with confirm and cancel. */
export function ConfirmAction({ label, ariaLabel, question, onConfirm, busy, testId }: ConfirmActionProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button
        type="button"
        className="btn btn-small"
        aria-label={ariaLabel}
        onClick={() => setConfirming(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      {question}{' '}
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={busy}
        onClick={() => {
          onConfirm();
          setConfirming(false);
        }}
        data-testid={testId && `${testId}-confirm`}
      >
        {label}
      </button>{' '}
      <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}
