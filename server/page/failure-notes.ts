// What the recipient reads when a payout failed (or was cancelled) for a known reason:
// plain words that say what happened and who can help, keyed on the one list of reasons
// (src/contract/failure.ts). A reason without a note keeps the page's general one.
import type { Locale } from '../../src/contract/i18n.ts';
import type { FailureCode } from '../../src/contract/failure.ts';

type Note = Record<Locale, string>;

const SENDER_CANNOT: Note = {
  ru: 'Отправитель сейчас не может провести эту выплату. Мы сообщили ему об этом — пожалуйста, свяжитесь с ним.',
  en: 'The sender cannot make this payout right now. We have let them know; please contact them.',
};
const NOT_MADE: Note = {
  ru: 'Выплату провести не удалось. Мы сообщили об этом отправителю.',
  en: 'The payout could not be made. We have let the sender know.',
};

/** `cancelled` has none on purpose: the page's own cancelled note says it. */
export const NOTES: Readonly<Partial<Record<FailureCode, Note>>> = {
  card_declined: {
    ru: 'Банк, выпустивший карту, отклонил выплату на неё. Можно получить деньги на другую карту: попросите отправителя прислать новую ссылку.',
    en: "The card's bank declined the payout. You can receive the money on another card: ask the sender for a new link.",
  },
  invalid_card: {
    ru: 'Карты с таким номером нет. Попросите отправителя прислать новую ссылку и проверьте номер.',
    en: 'There is no card with this number. Ask the sender for a new link and check the number.',
  },
  card_expired: {
    ru: 'Срок действия карты истёк. Попросите отправителя прислать новую ссылку и укажите другую карту.',
    en: 'The card has expired. Ask the sender for a new link and give another card.',
  },
  recipient_not_found: {
    ru: 'В выбранном банке нет получателя с этим номером телефона. Попросите отправителя прислать новую ссылку.',
    en: 'The chosen bank has no recipient with this phone number. Ask the sender for a new link.',
  },
  bank_rejected: {
    ru: 'Банк получателя отклонил выплату. Свяжитесь с отправителем.',
    en: 'The receiving bank declined the payout. Please contact the sender.',
  },
  invalid_details: {
    ru: 'Платёжный сервис не принял реквизиты получателя. Попросите отправителя прислать новую ссылку и проверьте их.',
    en: "The payment service did not accept the recipient's details. Ask the sender for a new link and check them.",
  },
  insufficient_funds: SENDER_CANNOT,
  limit_exceeded: {
    ru: 'Выплата упирается в лимит банка получателя или в ограничение на эти реквизиты. Попробуйте позже или свяжитесь с отправителем.',
    en: 'The payout is over a limit of the receiving bank or of these details. Please try again later or contact the sender.',
  },
  amount_out_of_range: {
    ru: 'Сумма не проходит по лимитам банка получателя. Свяжитесь с отправителем.',
    en: "The amount is outside the receiving bank's limits. Please contact the sender.",
  },
  method_unavailable: {
    ru: 'Этот способ выплаты сейчас недоступен. Пожалуйста, свяжитесь с отправителем.',
    en: 'This payout method is not available right now. Please contact the sender.',
  },
  provider_declined: {
    ru: 'Платёжный сервис отклонил выплату. Мы сообщили об этом отправителю.',
    en: 'The payment service declined this payout. We have let the sender know.',
  },
  provider_timeout: {
    ru: 'Выплата не была проведена вовремя. Мы сообщили об этом отправителю.',
    en: 'The payout was not completed in time. We have let the sender know.',
  },
  not_sent: NOT_MADE,
  session_expired: {
    ru: 'Время ссылки истекло раньше, чем прошла выплата. Попросите отправителя прислать новую ссылку.',
    en: 'The link ran out of time before the payout was made. Ask the sender for a new link.',
  },
};

export function failureNote(code: string | null, locale: Locale): string | undefined {
  return code ? NOTES[code as FailureCode]?.[locale] : undefined;
}

/** What the form says above itself when the provider refused the details given and another try is open. */
export const ANOTHER_TRY: Readonly<Partial<Record<FailureCode, Note>>> = {
  card_declined: {
    ru: 'Банк, выпустивший карту, отклонил выплату на неё. Укажите другую карту или номер телефона.',
    en: "The card's bank declined the payout. Enter another card or a phone number.",
  },
  invalid_card: {
    ru: 'Карты с таким номером нет. Проверьте номер или укажите другую карту.',
    en: 'There is no card with this number. Check the number or enter another card.',
  },
  card_expired: {
    ru: 'Срок действия этой карты истёк. Укажите другую карту.',
    en: 'This card has expired. Enter another card.',
  },
  recipient_not_found: {
    ru: 'В выбранном банке нет получателя с этим номером телефона. Выберите другой банк или укажите карту.',
    en: 'The chosen bank has no recipient with this phone number. Choose another bank or enter a card.',
  },
  bank_rejected: {
    ru: 'Банк получателя отклонил выплату. Укажите другую карту или другой банк.',
    en: "The recipient's bank declined the payout. Enter another card or choose another bank.",
  },
  invalid_details: {
    ru: 'Платёжный сервис не принял эти реквизиты. Проверьте их или укажите другие.',
    en: 'The payment service did not accept these details. Check them or enter others.',
  },
};

export function anotherTryNote(code: string, locale: Locale): string | undefined {
  return ANOTHER_TRY[code as FailureCode]?.[locale];
}
