// O‘zbekcha (Latin script, the official one). Wording: drafted by Payee's engineers from the
// Russian file key by key, with the terms Uzbek banks use on their own sites (to‘lov, karta,
// havola, qabul qiluvchi); read back into English in the README. Have a native speaker review
// it before relying on it for a large audience.
import type { FailureNotes, Messages } from '../i18n.ts';

export const messages: Messages = {
  pays: 'To‘lovchi',
  timeLeft: 'Havola yana amal qiladi:',
  method: 'Pulni qayerga olasiz',
  card: 'Kartaga',
  sbp: 'Telefon raqami orqali (SBP)',
  pan: 'Karta raqami',
  panHint: 'Faqat raqam: amal qilish muddati va CVV kerak emas',
  phone: 'Telefon raqami',
  bank: 'Qabul qiluvchining banki',
  bankHint: 'Bank nomini rus yoki ingliz tilida yoza boshlang',
  bankPick: 'Bankni ro‘yxatdan tanlang: avval mashhurlari, keyin hammasi alifbo bo‘yicha',
  bankChoose: 'Bankni tanlang',
  bankPopular: 'Mashhur',
  bankAll: 'Barcha banklar',
  bankFound: 'Topilgan banklar: {n}',
  bankNone: 'Ro‘yxatda bunday bank yo‘q',
  fullName: 'Qabul qiluvchining ismi va familiyasi',
  submit: '{amount} olish',
  sending: 'Yuborilmoqda…',
  secure: 'Raqam shifrlangan holda saqlanadi, {merchant} uning faqat bir qismini ko‘radi',
  language: 'Til',
  type_required: 'Pulni qayerga olishni tanlang',
  pan_required: 'Karta raqamini kiriting',
  pan_digits: 'Karta raqamida faqat raqamlar bo‘lishi mumkin',
  pan_length: 'Karta raqamidagi raqamlar sonini tekshiring',
  pan_luhn: 'Karta raqamida xato bor — raqamlarni tekshiring',
  phone_required: 'Telefon raqamini kiriting',
  phone_invalid: '+7 dan keyin 10 ta raqam kiriting',
  bank_required: 'Qabul qiluvchining bankini tanlang',
  bank_unknown: 'Bankni ro‘yxatdan tanlang',
  name_required: 'Ism va familiyani kiriting',
  name_invalid: 'Ism va familiya harflar bilan, bo‘sh joy bilan ajratib yozilsin',
  method_not_allowed: 'Bu usul hozir mavjud emas, boshqasini tanlang',
  network: 'Server bilan aloqa yo‘q. Internetni tekshirib, qayta urinib ko‘ring',
  progress: 'To‘lov yuborilmoqda…',
  progressNote: 'Odatda bu bir necha soniya davom etadi. Sahifani yopmang.',
  checkStatus: 'Holatni yangilash',
  success: 'To‘lov yuborildi',
  successNote: 'Pul yuborildi: {target}',
  failed: 'To‘lov amalga oshmadi',
  failedNote: 'Bank to‘lovni qabul qilmadi. Keyin nima qilish kerakligini {merchant} aytadi.',
  processing: 'To‘lov ko‘rib chiqilmoqda',
  processingNote: 'Bank hali to‘lovni ko‘rib chiqmoqda, natijani {merchant} xabar qiladi.',
  cancelled: 'To‘lov bekor qilindi',
  cancelledNote: 'To‘lov bekor qilindi. Keyin nima qilish kerakligini {merchant} aytadi.',
  expired: 'Havola endi amal qilmaydi',
  expiredNote: 'Ma’lumotlarni kiritish vaqti tugadi. Yangi havola uchun {merchant} bilan bog‘laning.',
  notFound: 'Havola topilmadi',
  notFoundNote: 'Manzilni tekshiring yoki yangi havola so‘rang.',
  redirect: '{n} soniyadan so‘ng {merchant} sahifasiga qaytasiz',
  goNow: 'Hozir o‘tish',
  toCard: 'karta {masked}',
  otherCard: 'yoki boshqa kartaga',
  toPhone: 'telefon {masked}',
};

export const failureNotes: FailureNotes = {
  card_declined:
    'Kartani chiqargan bank to‘lovni rad etdi. Pulni boshqa kartaga olish mumkin: yuboruvchidan yangi havola so‘rang.',
  invalid_card: 'Bunday raqamli karta yo‘q. Yuboruvchidan yangi havola so‘rang va raqamni tekshiring.',
  card_expired:
    'Kartaning amal qilish muddati tugagan. Yuboruvchidan yangi havola so‘rang va boshqa kartani ko‘rsating.',
  recipient_not_found: 'Tanlangan bankda bu telefon raqamli qabul qiluvchi yo‘q. Yuboruvchidan yangi havola so‘rang.',
  bank_rejected: 'Qabul qiluvchining banki to‘lovni rad etdi. Yuboruvchi bilan bog‘laning.',
  invalid_details:
    'To‘lov xizmati qabul qiluvchining rekvizitlarini qabul qilmadi. Yuboruvchidan yangi havola so‘rang va ularni tekshiring.',
  insufficient_funds:
    'Yuboruvchi hozir bu to‘lovni amalga oshira olmaydi. Biz unga xabar berdik — iltimos, u bilan bog‘laning.',
  limit_exceeded:
    'To‘lov qabul qiluvchi bankining limitidan yoki bu rekvizitlar cheklovidan oshib ketdi. Keyinroq urinib ko‘ring yoki yuboruvchi bilan bog‘laning.',
  amount_out_of_range: 'Summa qabul qiluvchi bankining limitlariga to‘g‘ri kelmaydi. Yuboruvchi bilan bog‘laning.',
  method_unavailable: 'Bu to‘lov usuli hozir mavjud emas. Iltimos, yuboruvchi bilan bog‘laning.',
  provider_declined: 'To‘lov xizmati to‘lovni rad etdi. Biz bu haqda yuboruvchiga xabar berdik.',
  provider_timeout: 'To‘lov o‘z vaqtida amalga oshirilmadi. Biz bu haqda yuboruvchiga xabar berdik.',
  not_sent: 'To‘lovni amalga oshirib bo‘lmadi. Biz bu haqda yuboruvchiga xabar berdik.',
  session_expired: 'Havola muddati to‘lov o‘tishidan oldin tugadi. Yuboruvchidan yangi havola so‘rang.',
};

export const anotherTry: FailureNotes = {
  card_declined: 'Kartani chiqargan bank to‘lovni rad etdi. Boshqa karta yoki telefon raqamini kiriting.',
  invalid_card: 'Bunday raqamli karta yo‘q. Raqamni tekshiring yoki boshqa kartani kiriting.',
  card_expired: 'Bu kartaning amal qilish muddati tugagan. Boshqa kartani kiriting.',
  recipient_not_found:
    'Tanlangan bankda bu telefon raqamli qabul qiluvchi yo‘q. Boshqa bankni tanlang yoki kartani kiriting.',
  bank_rejected: 'Qabul qiluvchining banki to‘lovni rad etdi. Boshqa kartani kiriting yoki boshqa bankni tanlang.',
  invalid_details: 'To‘lov xizmati bu rekvizitlarni qabul qilmadi. Ularni tekshiring yoki boshqalarini kiriting.',
};
