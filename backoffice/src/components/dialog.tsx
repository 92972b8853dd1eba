/**
 * A modal confirmation (`<dialog>` opened with showModal, so the page behind is inert): a title, what will happen,
 * a "Reason" (required, optional or none), and "Confirm" / "Cancel". Esc and Cancel close it; focus returns to the
 * control that opened it (or to the page heading when that control is gone, e.g. after the case reloaded). An error
 * from the API is shown next to the reason (for a field) or in the dialog's alert; success closes it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';

export interface DialogProps {
  title: string;
  children?: ComponentChildren;
  /**
   * Ask for a reason: true requires one (at least 3 characters, as the API requires), 'optional' offers the field
   * (an empty one confirms with an empty reason), false shows none.
   */
  withReason?: boolean | 'optional';
  confirmLabel?: string;
  /** Resolves when done (the dialog closes); rejects with an ApiError to keep it open and show the error. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ title, children, withReason = true, confirmLabel = 'Confirm', onConfirm, onClose }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);

  useEffect(() => {
    opener.current = document.activeElement;
    dialog.current?.showModal();
    return () => {
      // Closed before focusing: while it is open (modal) the rest of the page is inert and cannot take focus.
      if (dialog.current?.open) dialog.current.close();
      const back = opener.current as HTMLElement | null;
      if (back && back.isConnected) back.focus();
      else document.querySelector<HTMLElement>('main h1')?.focus();
    };
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      dialog.current?.close();
      onClose();
    } catch (caught) {
      const field = caught instanceof ApiError ? caught.fieldMessage('reason') : undefined;
      setError(field ? { field: 'reason', message: field } : { message: messageOf(caught) });
      setBusy(false);
    }
  }

  const reasonError = error?.field === 'reason' ? error.message : undefined;
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="dialog-title" onCancel={(event) => {
        // Esc: closed by the app (focus goes back to the opener), and not while a call is under way.
        event.preventDefault();
        if (!busy) onClose();
      }}>
      <form onSubmit={submit} noValidate={false}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        {withReason && (
          <div class="field">
            <label for="dialog-reason">{withReason === 'optional' ? 'Reason (optional)' : 'Reason'}</label>
            <textarea
              id="dialog-reason"
              name="reason"
              required={withReason === true}
              minLength={3}
              maxLength={2000}
              rows={4}
              value={reason}
              aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={reasonError ? 'dialog-reason-error' : undefined}
              onInput={(event) => setReason(event.currentTarget.value)}
            />
            {reasonError && (
              <p id="dialog-reason-error" class="field-error">
                {reasonError}
              </p>
            )}
          </div>
        )}
        {error && !error.field && (
          <p role="alert" class="alert">
            {error.message}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="submit" class="primary" disabled={busy}>
            {confirmLabel}
          </button>
          <button type="button" disabled={busy} onClick={() => onClose()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
