// Failure codes this adapter reports, with what the recipient reads on our page.
// Plain words: the recipient cannot fix the sender's balance, so we say who to talk to.
export const P2P_FAILURE_CODES = [
  'p2p_low_balance',
  'p2p_requisite_overloaded',
  'p2p_method_disabled',
  'p2p_rejected',
  'rejected_timeout',
  'rejected_gate',
  'rejected_merchant',
] as const;
export type P2pFailureCode = (typeof P2P_FAILURE_CODES)[number];

export const P2P_FAILURE_MESSAGES: Record<P2pFailureCode, { ru: string; en: string }> = {
  p2p_low_balance: {
    ru: 'Отправитель сейчас не может провести эту выплату. Мы сообщили ему об этом — пожалуйста, свяжитесь с ним.',
    en: 'The sender cannot make this payout right now. We have let them know; please contact them.',
  },
  p2p_requisite_overloaded: {
    ru: 'Выплаты на эти реквизиты временно ограничены. Попробуйте позже или свяжитесь с отправителем.',
    en: 'Payouts to these details are limited for a while. Please try again later or contact the sender.',
  },
  p2p_method_disabled: {
    ru: 'Этот способ выплаты сейчас недоступен. Пожалуйста, свяжитесь с отправителем.',
    en: 'This payout method is not available right now. Please contact the sender.',
  },
  p2p_rejected: {
    ru: 'Выплату провести не удалось. Мы сообщили об этом отправителю.',
    en: 'The payout could not be made. We have let the sender know.',
  },
  rejected_timeout: {
    ru: 'Выплата не была проведена вовремя. Мы сообщили об этом отправителю.',
    en: 'The payout was not completed in time. We have let the sender know.',
  },
  rejected_gate: {
    ru: 'Платёжный сервис отклонил выплату. Мы сообщили об этом отправителю.',
    en: 'The payment service declined this payout. We have let the sender know.',
  },
  rejected_merchant: {
    ru: 'Отправитель отменил выплату.',
    en: 'The sender cancelled this payout.',
  },
};

/** The gateway's documented error texts (its list "is not exhaustive"): anything else is p2p_rejected. */
export function failureCodeFor(errorText: string): P2pFailureCode {
  const t = errorText.toLowerCase();
  if (t.includes('low balance')) return 'p2p_low_balance';
  if (t.includes('overloading requisite')) return 'p2p_requisite_overloaded';
  if (t.includes('payment method is disabled')) return 'p2p_method_disabled';
  return 'p2p_rejected';
}
