import type { MessageTemplate } from '../../shared/mail/message';

export const IDEA_MAIL_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type IdeaMailLanguage = (typeof IDEA_MAIL_LANGUAGES)[number];

/** The templates of the e-mails to the public; `decision` has one per outcome. */
export type IdeaMailTemplate =
  | 'receipt'
  | 'decision.approved'
  | 'decision.rejected'
  | 'decision.shortlisted'
  | 'decision.declined'
  | 'answer'
  | 'converted'
  | 'vote';

// Texts to members of the public: no account, so every e-mail says why it came. Product terms:
// idea = идея / идея, call = конкурс идей / идеялар байқауы, receipt = квитанция / түбіртек.
export const IDEA_MAIL_TEMPLATES: Readonly<
  Record<IdeaMailTemplate, Readonly<Record<IdeaMailLanguage, MessageTemplate>>>
> = {
  receipt: {
    en: {
      title: 'We received your idea "{ideaTitle}"',
      body: 'Thank you, {name}. Your idea "{ideaTitle}" for "{callTitle}" reached Efir at {receivedAt}.\n\nYour receipt: SHA-256 {sha256}, idea {ideaId}, signed by Efir (key {keyId}). Anyone can check it at {verifyUrl}.\n\nTo withdraw your idea: {withdrawUrl}\nTo withdraw it and erase your name and e-mail address: {eraseUrl}',
    },
    ru: {
      title: 'Мы получили вашу идею «{ideaTitle}»',
      body: 'Спасибо, {name}. Ваша идея «{ideaTitle}» для конкурса «{callTitle}» поступила в Efir {receivedAt}.\n\nВаша квитанция: SHA-256 {sha256}, идея {ideaId}, подписана Efir (ключ {keyId}). Проверить её может любой: {verifyUrl}\n\nОтозвать идею: {withdrawUrl}\nОтозвать идею и стереть ваше имя и адрес: {eraseUrl}',
    },
    kk: {
      title: '«{ideaTitle}» идеяңыз қабылданды',
      body: 'Рақмет, {name}. «{callTitle}» байқауына жіберген «{ideaTitle}» идеяңыз Efir жүйесіне {receivedAt} келіп түсті.\n\nТүбіртегіңіз: SHA-256 {sha256}, идея {ideaId}, Efir қол қойған (кілт {keyId}). Оны кез келген адам тексере алады: {verifyUrl}\n\nИдеяны қайтарып алу: {withdrawUrl}\nИдеяны қайтарып алып, атыңыз бен адресіңізді өшіру: {eraseUrl}',
    },
  },
  'decision.approved': {
    en: {
      title: 'Your idea "{ideaTitle}" is published',
      body: 'Your idea "{ideaTitle}" for "{callTitle}" was approved and is now public: viewers can read it and vote for it.',
    },
    ru: {
      title: 'Ваша идея «{ideaTitle}» опубликована',
      body: 'Ваша идея «{ideaTitle}» для конкурса «{callTitle}» одобрена и опубликована: зрители могут её прочитать и проголосовать за неё.',
    },
    kk: {
      title: '«{ideaTitle}» идеяңыз жарияланды',
      body: '«{callTitle}» байқауына жіберген «{ideaTitle}» идеяңыз мақұлданып, жарияланды: көрермендер оны оқып, дауыс бере алады.',
    },
  },
  'decision.rejected': {
    en: {
      title: 'Your idea "{ideaTitle}" was not accepted',
      body: 'Your idea "{ideaTitle}" for "{callTitle}" was not accepted for publication.\n\nReason: {reason}\n\nYour receipt stays valid: it proves what you sent and when.',
    },
    ru: {
      title: 'Ваша идея «{ideaTitle}» не принята',
      body: 'Ваша идея «{ideaTitle}» для конкурса «{callTitle}» не принята к публикации.\n\nПричина: {reason}\n\nВаша квитанция остаётся действительной: она подтверждает, что и когда вы отправили.',
    },
    kk: {
      title: '«{ideaTitle}» идеяңыз қабылданбады',
      body: '«{callTitle}» байқауына жіберген «{ideaTitle}» идеяңыз жариялауға қабылданбады.\n\nСебебі: {reason}\n\nТүбіртегіңіз жарамды болып қалады: ол не жібергеніңізді және қашан жібергеніңізді дәлелдейді.',
    },
  },
  'decision.shortlisted': {
    en: {
      title: 'Your idea "{ideaTitle}" is shortlisted',
      body: 'Good news: the channel has shortlisted your idea "{ideaTitle}" for "{callTitle}".',
    },
    ru: {
      title: 'Ваша идея «{ideaTitle}» вошла в шорт-лист',
      body: 'Хорошие новости: канал включил вашу идею «{ideaTitle}» для конкурса «{callTitle}» в шорт-лист.',
    },
    kk: {
      title: '«{ideaTitle}» идеяңыз қысқа тізімге енді',
      body: 'Жақсы жаңалық: арна «{callTitle}» байқауына жіберген «{ideaTitle}» идеяңызды қысқа тізімге енгізді.',
    },
  },
  'decision.declined': {
    en: {
      title: 'The channel answered your idea "{ideaTitle}"',
      body: 'The channel will not take your idea "{ideaTitle}" for "{callTitle}" further. Its answer, published with your idea:\n\n{answer}',
    },
    ru: {
      title: 'Канал ответил на вашу идею «{ideaTitle}»',
      body: 'Канал не будет развивать вашу идею «{ideaTitle}» для конкурса «{callTitle}». Его ответ, опубликованный вместе с идеей:\n\n{answer}',
    },
    kk: {
      title: 'Арна «{ideaTitle}» идеяңызға жауап берді',
      body: 'Арна «{callTitle}» байқауына жіберген «{ideaTitle}» идеяңызды әрі қарай дамытпайды. Идеямен бірге жарияланған жауабы:\n\n{answer}',
    },
  },
  answer: {
    en: {
      title: 'The channel answered your idea "{ideaTitle}"',
      body: 'The channel has published an answer to your idea "{ideaTitle}" for "{callTitle}":\n\n{answer}',
    },
    ru: {
      title: 'Канал ответил на вашу идею «{ideaTitle}»',
      body: 'Канал опубликовал ответ на вашу идею «{ideaTitle}» для конкурса «{callTitle}»:\n\n{answer}',
    },
    kk: {
      title: 'Арна «{ideaTitle}» идеяңызға жауап берді',
      body: 'Арна «{callTitle}» байқауына жіберген «{ideaTitle}» идеяңызға жауап жариялады:\n\n{answer}',
    },
  },
  converted: {
    en: {
      title: 'Your idea "{ideaTitle}" is becoming a programme',
      body: 'The channel has turned your idea "{ideaTitle}" for "{callTitle}" into a brief for production studios. {creditLine}',
    },
    ru: {
      title: 'Ваша идея «{ideaTitle}» становится программой',
      body: 'Канал превратил вашу идею «{ideaTitle}» для конкурса «{callTitle}» в техническое задание для продакшн-студий. {creditLine}',
    },
    kk: {
      title: '«{ideaTitle}» идеяңыз бағдарламаға айналуда',
      body: 'Арна «{callTitle}» байқауына жіберген «{ideaTitle}» идеяңызды продакшн-студияларға арналған брифке айналдырды. {creditLine}',
    },
  },
  vote: {
    en: {
      title: 'Confirm your vote for "{ideaTitle}"',
      body: 'Someone (we hope you) asked to vote for the idea "{ideaTitle}" in "{callTitle}" with this address. To count the vote, open this link before {expiresAt}:\n\n{confirmUrl}\n\nIf it was not you, ignore this e-mail: nothing is counted and the address is deleted when the link expires.',
    },
    ru: {
      title: 'Подтвердите голос за «{ideaTitle}»',
      body: 'С этого адреса попросили проголосовать за идею «{ideaTitle}» в конкурсе «{callTitle}». Чтобы голос засчитали, откройте ссылку до {expiresAt}:\n\n{confirmUrl}\n\nЕсли это были не вы, просто проигнорируйте письмо: голос не будет засчитан, а адрес удалится, когда ссылка истечёт.',
    },
    kk: {
      title: '«{ideaTitle}» үшін дауысыңызды растаңыз',
      body: 'Осы адрестен «{callTitle}» байқауындағы «{ideaTitle}» идеясына дауыс беру сұралды. Дауыс есептелуі үшін сілтемені {expiresAt} дейін ашыңыз:\n\n{confirmUrl}\n\nЕгер бұл сіз болмасаңыз, хатты елемеңіз: дауыс есептелмейді, ал сілтеме мерзімі біткенде адрес өшіріледі.',
    },
  },
};

/** Per language: what the converted e-mail says about the credit. */
export const CREDIT_LINES: Readonly<Record<IdeaMailLanguage, { credited: string; anonymous: string }>> = {
  en: { credited: 'You are credited as its originator.', anonymous: 'As you asked, you are not named.' },
  ru: { credited: 'Вы указаны как автор идеи.', anonymous: 'Как вы и просили, ваше имя не указано.' },
  kk: {
    credited: 'Сіз идея авторы ретінде көрсетілдіңіз.',
    anonymous: 'Өтінішіңіз бойынша атыңыз көрсетілмеді.',
  },
};

/** The call's first language among those Efir writes (kk, ru, en); English otherwise. */
export function mailLanguage(callLanguages: readonly string[]): IdeaMailLanguage {
  return (callLanguages.find((l) => (IDEA_MAIL_LANGUAGES as readonly string[]).includes(l)) ??
    'en') as IdeaMailLanguage;
}
