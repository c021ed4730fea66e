// Every text of the recipient page in Russian (the default) and English. The server
// picks the locale and hands the page only the strings of that locale.
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const ru = {
  pays: 'Выплата от',
  timeLeft: 'Ссылка действует ещё',
  method: 'Куда получить деньги',
  card: 'На карту',
  sbp: 'По номеру телефона (СБП)',
  pan: 'Номер карты',
  panHint: 'Только номер: срок действия и CVV не нужны',
  phone: 'Номер телефона',
  bank: 'Банк получателя',
  bankHint: 'Начните вводить название, по-русски или по-английски',
  bankPick: 'Выберите банк из списка: сначала популярные, затем все по алфавиту',
  bankChoose: 'Выберите банк',
  bankPopular: 'Популярные',
  bankAll: 'Все банки',
  bankFound: 'Найдено банков: {n}',
  bankNone: 'Такого банка нет в списке',
  fullName: 'Имя и фамилия получателя',
  submit: 'Получить {amount}',
  sending: 'Отправляем…',
  secure: 'Номер хранится в зашифрованном виде, {merchant} видит только его часть',
  other: 'English',
  type_required: 'Выберите, куда получить деньги',
  pan_required: 'Введите номер карты',
  pan_digits: 'В номере карты могут быть только цифры',
  pan_length: 'Проверьте количество цифр в номере карты',
  pan_luhn: 'В номере карты ошибка — проверьте цифры',
  phone_required: 'Введите номер телефона',
  phone_invalid: 'Введите 10 цифр после +7',
  bank_required: 'Выберите банк получателя',
  bank_unknown: 'Выберите банк из списка',
  name_required: 'Введите имя и фамилию',
  name_invalid: 'Имя и фамилия буквами, через пробел',
  method_not_allowed: 'Этот способ сейчас недоступен, выберите другой',
  network: 'Нет связи с сервером. Проверьте интернет и попробуйте ещё раз',
  progress: 'Отправляем выплату…',
  progressNote: 'Обычно это занимает несколько секунд. Не закрывайте страницу.',
  checkStatus: 'Обновить статус',
  success: 'Выплата отправлена',
  successNote: 'Деньги отправлены: {target}',
  failed: 'Выплата не прошла',
  failedNote: 'Банк не принял выплату. {merchant} подскажет, что делать дальше.',
  processing: 'Выплата в обработке',
  processingNote: 'Банк ещё обрабатывает выплату, {merchant} сообщит результат.',
  cancelled: 'Выплата отменена',
  cancelledNote: 'Выплата отменена. {merchant} подскажет, что делать дальше.',
  expired: 'Ссылка больше не действует',
  expiredNote: 'Время на ввод данных истекло. Попросите у {merchant} новую ссылку.',
  notFound: 'Ссылка не найдена',
  notFoundNote: 'Проверьте адрес или попросите новую ссылку.',
  redirect: 'Вернём вас в {merchant} через {n} с',
  goNow: 'Перейти сейчас',
  toCard: 'карта {masked}',
  toPhone: 'телефон {masked}',
};

export type Messages = typeof ru;
export type MessageKey = keyof Messages;

const en: Messages = {
  pays: 'Payout from',
  timeLeft: 'Link valid for',
  method: 'Where to receive the money',
  card: 'To a card',
  sbp: 'By phone number (SBP)',
  pan: 'Card number',
  panHint: 'Number only: no expiry date or CVV needed',
  phone: 'Phone number',
  bank: "Recipient's bank",
  bankHint: 'Start typing the name, in English or Russian',
  bankPick: 'Choose your bank from the list: popular ones first, then all by name',
  bankChoose: 'Choose a bank',
  bankPopular: 'Popular',
  bankAll: 'All banks',
  bankFound: 'Banks found: {n}',
  bankNone: 'No such bank in the list',
  fullName: "Recipient's first and last name",
  submit: 'Receive {amount}',
  sending: 'Sending…',
  secure: 'The number is stored encrypted; {merchant} sees only part of it',
  other: 'Русский',
  type_required: 'Choose where to receive the money',
  pan_required: 'Enter the card number',
  pan_digits: 'A card number has digits only',
  pan_length: 'Check the number of digits in the card number',
  pan_luhn: 'This card number has a typo — check the digits',
  phone_required: 'Enter the phone number',
  phone_invalid: 'Enter 10 digits after +7',
  bank_required: "Choose the recipient's bank",
  bank_unknown: 'Choose a bank from the list',
  name_required: 'Enter the first and last name',
  name_invalid: 'First and last name in letters, separated by a space',
  method_not_allowed: 'This method is not available now; choose another one',
  network: 'Cannot reach the server. Check your connection and try again',
  progress: 'Sending the payout…',
  progressNote: 'This usually takes a few seconds. Please keep this page open.',
  checkStatus: 'Check status',
  success: 'Payout sent',
  successNote: 'The money is on its way: {target}',
  failed: 'Payout failed',
  failedNote: 'The bank did not accept the payout. {merchant} will tell you what to do next.',
  processing: 'Payout in progress',
  processingNote: 'The bank is still processing the payout; {merchant} will tell you the result.',
  cancelled: 'Payout cancelled',
  cancelledNote: 'The payout was cancelled. {merchant} will tell you what to do next.',
  expired: 'This link has expired',
  expiredNote: 'The time to enter your details ran out. Ask {merchant} for a new link.',
  notFound: 'Link not found',
  notFoundNote: 'Check the address or ask for a new link.',
  redirect: 'Taking you back to {merchant} in {n} s',
  goNow: 'Go now',
  toCard: 'card {masked}',
  toPhone: 'phone {masked}',
};

export const MESSAGES: Record<Locale, Messages> = { ru, en };

/** `?lang=` wins, then the first supported language of Accept-Language by weight, then Russian. */
export function pickLocale(lang: string | undefined, acceptLanguage: string | undefined): Locale {
  if (lang === 'ru' || lang === 'en') return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => x.lang === 'ru' || x.lang === 'en');
  return (hit?.lang as Locale | undefined) ?? 'ru';
}

/** Fills {name} placeholders. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
