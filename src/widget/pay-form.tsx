// The details form: a real <form method="post"> that works without JavaScript; with it,
// fields are masked and checked as the recipient types, and the form is sent as JSON.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FormState, PageReply, PageView } from '../contract/page.ts';
import type { DetailError, DetailField } from '../contract/recipient.ts';
import { BankPicker } from './bank-picker.tsx';
import { usePage, useT } from './context.ts';
import { firstError, useDetailsForm } from './details-form.ts';
import { describedBy, Field } from './fields.tsx';
import { useServerNow, useTick } from './hooks.ts';
import type { Enhance } from './net.ts';

type FormView = Extract<PageView, { kind: 'form' }>;

function TimeLeft({ expiresAt, onExpire }: { expiresAt: number; onExpire: () => void }) {
  const t = useT();
  const now = useServerNow();
  const left = Math.max(0, Math.ceil((expiresAt - now()) / 1000));
  const over = left === 0;
  useTick(!over);
  useEffect(() => {
    if (over) onExpire();
  }, [over, onExpire]);
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = String(left % 60).padStart(2, '0');
  return (
    <p class="timer">
      {t('timeLeft')} <span class="num">{h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`}</span>
    </p>
  );
}

interface FormProps {
  view: FormView;
  enhance: Enhance | null;
  bankOptions: string;
  onReply: (r: PageReply) => void;
  onExpire: () => void;
}

export function PayForm({ view, enhance, bankOptions, onReply, onExpire }: FormProps) {
  const t = useT();
  const page = usePage();
  const initial: FormState = page.form ?? { values: {}, errors: {} };
  const methods = view.methods;
  const chosen = initial.values.type ?? methods[0]?.type;
  // After a refused post without a script, the browser focuses the first wrong field.
  const autoFocus = firstError(initial.errors);
  const { errors, formError, pending, form, typed, left, submit, show, clearErrors } = useDetailsForm(
    methods,
    enhance,
    initial,
    onReply,
  );

  const needsName = (type: string) => methods.some((m) => m.type === type && m.requiredFields.includes('fullName'));
  const nameFor = methods.filter((m) => needsName(m.type)).map((m) => `need-${m.type}`);
  /** Methods whose details this page takes (not hand-off ones). */
  const offers = (type: string) => methods.some((m) => m.type === type && !m.handoff);

  return (
    <>
      {view.saved && (
        // A plain post of the saved card's token: one tap, nothing to check here.
        <form method="post" action={page.self} class="saved">
          <input type="hidden" name="saved" value={view.saved.token} />
          <button type="submit" class="btn">
            {view.saved.label}
          </button>
          <p class="or">{view.saved.other}</p>
        </form>
      )}
      <form
        ref={form}
        method="post"
        action={page.self}
        noValidate
        onSubmit={submit}
        aria-busy={pending}
        data-enhanced={enhance ? '' : undefined}
      >
        <TimeLeft expiresAt={view.expiresAt} onExpire={onExpire} />
        {view.declined && (
          <p class="err form-err" role="alert">
            {view.declined}
          </p>
        )}
        {methods.length > 1 ? (
          <fieldset id="method" tabIndex={-1} class="methods" aria-describedby={errors.type && 'method-err'}>
            <legend>{t('method')}</legend>
            {methods.map((m) => (
              <label class="tile" key={m.type}>
                <input
                  type="radio"
                  name="type"
                  id={`m-${m.type}`}
                  value={m.type}
                  defaultChecked={m.type === chosen}
                  onChange={clearErrors}
                />
                <span>{t(m.type)}</span>
              </label>
            ))}
            {errors.type && (
              <p id="method-err" class="err">
                {t(errors.type)}
              </p>
            )}
          </fieldset>
        ) : (
          <input type="hidden" name="type" value={chosen} />
        )}

        {offers('card') && (
          <CardField enhance={enhance} error={errors.pan} typed={typed} left={left} focus={autoFocus === 'pan'} />
        )}
        {offers('sbp') && (
          <div class="group for-sbp">
            <PhoneField
              enhance={enhance}
              value={initial.values.phone}
              error={errors.phone}
              typed={typed}
              left={left}
              focus={autoFocus === 'phone'}
            />
            <BankPicker
              enhance={enhance}
              optionsHtml={bankOptions}
              error={errors.bankId}
              focus={autoFocus === 'bankId'}
              onPick={() => show('bankId', undefined)}
              onUnknown={() => show('bankId', 'bank_unknown')}
            />
          </div>
        )}
        {nameFor.length > 0 && (
          <Field id="fullName" label={t('fullName')} error={errors.fullName} class={`name ${nameFor.join(' ')}`}>
            <input
              id="fullName"
              name="fullName"
              type="text"
              autoComplete="name"
              autoCapitalize="words"
              spellcheck={false}
              maxLength={100}
              defaultValue={initial.values.fullName}
              autoFocus={autoFocus === 'fullName'}
              aria-invalid={errors.fullName ? 'true' : undefined}
              aria-describedby={describedBy('fullName', false, errors.fullName)}
              onInput={() => typed('fullName', false)}
              onBlur={(e) => left('fullName', e)}
            />
          </Field>
        )}

        {formError && (
          <p class="err form-err" role="alert">
            {t(formError)}
          </p>
        )}
        <button type="submit" class="btn" aria-disabled={pending ? 'true' : undefined}>
          {pending ? t('sending') : t('submit', { amount: page.amount })}
        </button>
        {offers('card') && <p class="secure">{t('secure', { merchant: page.merchant.name })}</p>}
      </form>
    </>
  );
}

interface FieldProps {
  enhance: Enhance | null;
  error: DetailError | undefined;
  typed: (field: DetailField, complete: boolean) => void;
  left: (field: DetailField, e: FocusEvent) => void;
  focus: boolean;
}

function CardField({ enhance, error, typed, left, focus }: FieldProps) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [brand, setBrand] = useState<{ type: string; name: string } | null>(null);
  useEffect(() => {
    if (!enhance) return;
    return enhance.maskCard(input.current!, (digits, card) => {
      setBrand(card && { type: card.type, name: card.name });
      if (digits) typed('pan', card ? card.complete : digits.length >= 19);
    });
  }, [enhance, typed]);
  const Icon = enhance?.BrandIcon;
  return (
    <Field id="pan" label={t('pan')} hint={t('panHint')} error={error} class="group for-card">
      <div class="with-icon">
        {/* Never pre-filled: the card number is not sent back to the browser. */}
        <input
          ref={input}
          id="pan"
          name="pan"
          type="text"
          inputMode="numeric"
          autoComplete="cc-number"
          autoCorrect="off"
          spellcheck={false}
          placeholder="0000 0000 0000 0000"
          autoFocus={focus}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy('pan', true, error)}
          onInput={(e) => {
            if (!enhance) typed('pan', e.currentTarget.value.replace(/\D/g, '').length >= 19);
          }}
          onBlur={(e) => left('pan', e)}
        />
        {Icon && brand && <Icon type={brand.type} name={brand.name} />}
      </div>
    </Field>
  );
}

function PhoneField({ enhance, value, error, typed, left, focus }: FieldProps & { value?: string }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!enhance) return;
    return enhance.maskPhone(input.current!, (digits) => typed('phone', digits.length >= 11));
  }, [enhance, typed]);
  return (
    <Field id="phone" label={t('phone')} error={error}>
      <input
        ref={input}
        id="phone"
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        placeholder="+7 (___) ___-__-__"
        autoFocus={focus}
        defaultValue={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy('phone', false, error)}
        onInput={(e) => {
          if (!enhance) typed('phone', e.currentTarget.value.replace(/\D/g, '').length >= 11);
        }}
        onBlur={(e) => left('phone', e)}
      />
    </Field>
  );
}
