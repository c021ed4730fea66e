// A labelled field with its hint and error, wired for assistive technology.
import type { ComponentChildren } from 'preact';
import type { DetailError } from '../contract/recipient.ts';
import { useT } from './context.ts';

/** aria-describedby for a field: its hint and, when shown, its error. */
export function describedBy(id: string, hint: boolean, error: DetailError | undefined): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(' ') || undefined;
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: DetailError;
  class?: string;
  children: ComponentChildren;
}) {
  const t = useT();
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-err`} class="err">
          {t(props.error)}
        </p>
      )}
    </div>
  );
}
