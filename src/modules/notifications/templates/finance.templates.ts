import type { Templates } from './template';

/** Invoices and payouts. */
export const FINANCE_TEMPLATES: Pick<
  Templates,
  'invoice.issued' | 'invoice.overdue' | 'payout.approval_needed' | 'payout.approved' | 'payout.paid'
> = {
  'invoice.issued': {
    en: {
      title: 'Invoice issued',
      body: 'An invoice was issued to the broadcaster for an accepted milestone (contract ID: {contractId}). Invoice total: {total} {currency}.',
    },
    ru: {
      title: 'Выставлен счёт',
      body: 'Заказчику выставлен счёт за принятый этап (ID договора: {contractId}). Сумма счёта: {total} {currency}.',
    },
    kk: {
      title: 'Шот жазылды',
      body: 'Қабылданған кезең үшін тапсырыс берушіге шот жазылды (келісімшарт ID: {contractId}). Шоттың сомасы: {total} {currency}.',
    },
  },
  'invoice.overdue': {
    en: {
      title: 'Invoice unpaid for {days} days',
      body: 'An invoice of {total} {currency} (contract ID: {contractId}) has been open for {days} days. Please schedule its payout on Efir.',
    },
    ru: {
      title: 'Счёт не оплачен {days} дн.',
      body: 'Счёт на сумму {total} {currency} (ID договора: {contractId}) не оплачен уже {days} дн. Пожалуйста, запланируйте выплату на Efir.',
    },
    kk: {
      title: 'Шот {days} күн бойы төленбеген',
      body: '{total} {currency} сомасындағы шот (келісімшарт ID: {contractId}) {days} күн бойы төленбеген. Efir жүйесінде төлемді жоспарлаңыз.',
    },
  },
  'payout.approval_needed': {
    en: {
      title: 'Payout needs approval',
      body: 'A payout of {amount} {currency} is above the dual-approval threshold and needs the approval of a second finance user, other than the one who created it. Review it on Efir.',
    },
    ru: {
      title: 'Выплата ожидает утверждения',
      body: 'Выплата на сумму {amount} {currency} превышает порог двойного утверждения: её должен утвердить второй сотрудник финансовой службы, а не тот, кто её создал. Проверьте выплату на Efir.',
    },
    kk: {
      title: 'Төлем бекітуді күтуде',
      body: '{amount} {currency} сомасындағы төлем қос бекіту шегінен асады: оны төлемді жасаған қызметкер емес, қаржы бөлімінің басқа қызметкері бекітуі тиіс. Төлемді Efir жүйесінде тексеріңіз.',
    },
  },
  'payout.approved': {
    en: {
      title: 'Payout approved',
      body: 'A payout of {amount} {currency} was approved and is waiting to be paid by the broadcaster.',
    },
    ru: {
      title: 'Выплата утверждена',
      body: 'Выплата на сумму {amount} {currency} утверждена и ожидает перечисления заказчиком.',
    },
    kk: {
      title: 'Төлем бекітілді',
      body: '{amount} {currency} сомасындағы төлем бекітілді және тапсырыс берушінің аударуын күтуде.',
    },
  },
  'payout.paid': {
    en: {
      title: 'Payout paid',
      body: 'The broadcaster’s finance team has marked a payout of {amount} {currency} as paid.',
    },
    ru: {
      title: 'Выплата произведена',
      body: 'Финансовая служба заказчика отметила выплату на сумму {amount} {currency} как произведённую.',
    },
    kk: {
      title: 'Төлем жүргізілді',
      body: 'Тапсырыс берушінің қаржы бөлімі {amount} {currency} сомасындағы төлемді жүргізілді деп белгіледі.',
    },
  },
};
