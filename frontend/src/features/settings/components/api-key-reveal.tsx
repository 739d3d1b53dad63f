import { useId } from 'react';
import { CopyButton } from '@/components/copy-button';
import type { CreatedApiKey } from '@/types/api';

/** Shows a freshly created key once; after "Done" it is gone for good (the server keeps only a hash). */
export function ApiKeyReveal({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const id = useId();
  return (
    <div className="alert alert-success" role="status" data-testid="api-key-reveal">
      <strong>
        API key “{created.name}” created ({created.scope})
      </strong>
      <p>Copy it now — it is shown only this once. Store it as STEPWISE_API_KEY where your trainer runs.</p>
      <label htmlFor={`${id}-key`} className="sr-only">
        New API key
      </label>
      <div className="input-group">
        <input
          id={`${id}-key`}
          className="mono"
          readOnly
          value={created.key}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="api-key-value"
        />
        <CopyButton text={created.key} testId="api-key-copy" />
      </div>
      <button type="button" className="btn" onClick={onDone} data-testid="api-key-done">
        I have copied it
      </button>
    </div>
  );
}
