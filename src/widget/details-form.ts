// The details form's behaviour, apart from its markup: which fields are wrong, the form's
// own error, whether a send is under way (one reducer), and what typing, leaving a field
// and submitting do.
import { useCallback, useMemo, useReducer, useRef } from 'preact/hooks';
import type { FormState, PageReply, PageView } from '../contract/page.ts';
import type { DetailError, DetailField, FieldErrors } from '../contract/recipient.ts';
import type { PayoutType } from '../contract/status.ts';
import { usePage } from './context.ts';
import { leave, request, type Enhance } from './net.ts';

export interface DetailsState {
  errors: FieldErrors;
  formError?: FormState['error'];
  pending: boolean;
}

export type DetailsAction =
  /** One field's error shown or cleared. */
  | { type: 'field'; field: DetailField; error: DetailError | undefined }
  /** Every field's errors at once (a check or the server refused; a method change clears them). */
  | { type: 'errors'; errors: FieldErrors }
  | { type: 'send' }
  /** The server's answer: what it refused, or nothing when it took the details. */
  | { type: 'answered'; errors?: FieldErrors; error?: FormState['error'] };

export function detailsReducer(state: DetailsState, action: DetailsAction): DetailsState {
  switch (action.type) {
    case 'field':
      return state.errors[action.field] === action.error
        ? state
        : { ...state, errors: { ...state.errors, [action.field]: action.error } };
    case 'errors':
      return { ...state, errors: action.errors };
    case 'send':
      return { errors: {}, pending: true };
    case 'answered':
      return { errors: action.errors ?? state.errors, formError: action.error, pending: false };
  }
}

/** Each field's element, in the form's order. */
const FIELD_ID: Record<DetailField, string> = {
  type: 'method',
  pan: 'pan',
  phone: 'phone',
  bankId: 'bank',
  fullName: 'fullName',
};

/** The first wrong field, in the form's order. */
export const firstError = (errors: FieldErrors) => (Object.keys(FIELD_ID) as DetailField[]).find((f) => errors[f]);

function focusFirstError(errors: FieldErrors): void {
  const first = firstError(errors);
  // After the render that shows the errors.
  if (first) setTimeout(() => document.getElementById(FIELD_ID[first])?.focus());
}

type FormView = Extract<PageView, { kind: 'form' }>;

/** The form's state and handlers; `initial` is what the server sent back after a refused post. */
export function useDetailsForm(
  methods: FormView['methods'],
  enhance: Enhance | null,
  initial: FormState,
  onReply: (r: PageReply) => void,
) {
  const { self } = usePage();
  const [state, dispatch] = useReducer(detailsReducer, {
    errors: initial.errors,
    formError: initial.error,
    pending: false,
  });
  const form = useRef<HTMLFormElement>(null);
  const validate = useMemo(() => enhance?.validator(methods), [enhance, methods]);

  const check = useCallback(
    (field: DetailField): DetailError | undefined => {
      const r = validate?.(Object.fromEntries(new FormData(form.current!)));
      return r && !r.ok ? r.errors[field] : undefined;
    },
    [validate],
  );
  const show = (field: DetailField, error: DetailError | undefined) => dispatch({ type: 'field', field, error });

  /** While typing: clear an error as soon as the value is right, show one only once the value is complete. */
  const typed = useCallback(
    (field: DetailField, complete: boolean) => {
      const error = check(field);
      dispatch({ type: 'field', field, error: error && complete ? error : undefined });
    },
    [check],
  );

  /**
   * On leaving a field with something in it: say what is wrong. Not when leaving for the
   * submit button: the message would move the button from under the pointer, and the
   * submit checks everything anyway.
   */
  const left = (field: DetailField, e: FocusEvent) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    if ((e.relatedTarget as HTMLButtonElement | null)?.type === 'submit') return;
    if (value.replace(/[\s()+-]/g, '') !== '' && value !== '+7') show(field, check(field));
  };

  const refused = (errors: FieldErrors) => {
    focusFirstError(errors);
    enhance?.reportError('invalid_details');
  };

  const submit = async (e: Event) => {
    // Until the checks have loaded, the browser posts the form and the server answers it.
    if (!validate) return;
    e.preventDefault();
    if (state.pending) return;
    const values = Object.fromEntries(new FormData(form.current!));
    const type = values.type as PayoutType;
    // A hand-off method has no fields here: its provider asks for the details on its own page.
    let details: unknown = { type };
    if (!methods.find((m) => m.type === type)?.handoff) {
      const parsed = validate(values);
      if (!parsed.ok) {
        dispatch({ type: 'errors', errors: parsed.errors });
        return refused(parsed.errors);
      }
      details = parsed.details;
    }
    dispatch({ type: 'send' });
    let reply: PageReply;
    try {
      reply = await request(self, details);
    } catch {
      dispatch({ type: 'answered', error: 'network' });
      return enhance?.reportError('network');
    }
    dispatch({ type: 'answered', errors: reply.errors, error: reply.error });
    if (reply.errors) refused(reply.errors);
    else if (reply.error) enhance?.reportError(reply.error === 'network' ? 'network' : 'server');
    else if (reply.redirect) leave(reply.redirect);
    else {
      if (reply.view.kind !== 'form') enhance?.reportSubmitted(type);
      onReply(reply);
    }
  };

  return {
    ...state,
    form,
    typed,
    left,
    submit,
    show,
    /** Another method chosen: the errors were about the one before. */
    clearErrors: () => dispatch({ type: 'errors', errors: {} }),
  };
}
