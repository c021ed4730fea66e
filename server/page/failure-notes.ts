// What the recipient reads when a payout failed for a known reason: plain words that
// say what happened and who can help. Unknown reasons keep the page's general note.
import type { Locale } from '../../src/contract/i18n.ts';
import { P2P_FAILURE_MESSAGES } from '../providers/p2p/messages.ts';

type Note = Record<Locale, string>;

const SENDER_CANNOT: Note = {
  ru: 'Отправитель сейчас не может провести эту выплату. Мы сообщили ему об этом — пожалуйста, свяжитесь с ним.',
  en: 'The sender cannot make this payout right now. We have let them know; please contact them.',
};
const CARD_DECLINED: Note = {
  ru: 'Банк, выпустивший карту, отклонил выплату на неё. Можно получить деньги на другую карту: попросите отправителя прислать новую ссылку.',
  en: "The card's bank declined the payout. You can receive the money on another card: ask the sender for a new link.",
};
const OVER_LIMIT: Note = {
  ru: 'Сумма не проходит по лимитам банка получателя. Свяжитесь с отправителем.',
  en: "The amount is outside the receiving bank's limits. Please contact the sender.",
};

const NOTES: Readonly<Record<string, Note>> = {
  ...P2P_FAILURE_MESSAGES,
  insufficient_funds: SENDER_CANNOT,
  card_declined: CARD_DECLINED,
  declined: CARD_DECLINED,
  bank_rejected: {
    ru: 'Банк получателя отклонил выплату. Свяжитесь с отправителем.',
    en: 'The receiving bank declined the payout. Please contact the sender.',
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
  limit_exceeded: OVER_LIMIT,
  amount_out_of_range: OVER_LIMIT,
};

export function failureNote(reason: string | null, locale: Locale): string | undefined {
  return reason ? NOTES[reason]?.[locale] : undefined;
}
