import type { Templates } from './template';

/** Viewers' ideas, for the call's commissioners. Never the submitter's or reporter's name or e-mail. */
export const IDEA_TEMPLATES: Pick<Templates, 'idea.submitted' | 'idea.reported'> = {
  'idea.submitted': {
    en: {
      title: 'New idea for {callTitle}: {ideaTitle}',
      body: 'A viewer has sent the idea "{ideaTitle}" to your call "{callTitle}". It is waiting for moderation.',
    },
    ru: {
      title: 'Новая идея для «{callTitle}»: {ideaTitle}',
      body: 'Зритель прислал идею «{ideaTitle}» на ваш конкурс «{callTitle}». Она ждёт модерации.',
    },
    kk: {
      title: '«{callTitle}» үшін жаңа идея: {ideaTitle}',
      body: 'Көрермен «{callTitle}» байқауыңызға «{ideaTitle}» идеясын жіберді. Ол модерацияны күтуде.',
    },
  },
  'idea.reported': {
    en: {
      title: 'Idea reported: {ideaTitle}',
      body: 'The idea "{ideaTitle}" in your call "{callTitle}" was reported ({reason}); it has {reports} report(s). Three reports hide it until you review it.',
    },
    ru: {
      title: 'Жалоба на идею: {ideaTitle}',
      body: 'На идею «{ideaTitle}» в конкурсе «{callTitle}» пожаловались ({reason}); жалоб: {reports}. После трёх жалоб идея скрыта до вашей проверки.',
    },
    kk: {
      title: 'Идеяға шағым: {ideaTitle}',
      body: '«{callTitle}» байқауындағы «{ideaTitle}» идеясына шағым түсті ({reason}); шағымдар саны: {reports}. Үш шағымнан кейін идея сіз тексергенше жасырылады.',
    },
  },
};
