import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmAction } from '@/components/confirm-action';

describe('ConfirmAction', () => {
  it('acts only after the question is confirmed', () => {
    const onConfirm = vi.fn();
    render(
      <ConfirmAction
        label="Delete"
        ariaLabel="Delete run r1"
        question="Delete run and all its data?"
        onConfirm={onConfirm}
        testId="run-delete"
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete run r1' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByText(/Delete run and all its data\?/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('run-delete-confirm'));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Delete run r1' })).toBeInTheDocument();
  });

  it('cancel goes back without acting, and a busy action cannot be confirmed twice', () => {
    const onConfirm = vi.fn();
    const { rerender } = render(
      <ConfirmAction label="Revoke" ariaLabel="Revoke key k" question="Revoke?" onConfirm={onConfirm} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Revoke key k' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.queryByText('Revoke?')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke key k' }));
    rerender(<ConfirmAction label="Revoke" ariaLabel="Revoke key k" question="Revoke?" onConfirm={onConfirm} busy />);
    expect(screen.getByRole('button', { name: 'Revoke' })).toBeDisabled();
  });
});
