import type { Templates } from './template';

/** The organisation and its members. */
export const ORGANISATION_TEMPLATES: Pick<Templates, 'member.invited' | 'organisation.verified'> = {
  'member.invited': {
    en: {
      title: 'You have been added to {organisationName}',
      body: 'You have been added to {organisationName} on Efir as {role}. Sign in with {email} and the password your administrator gave you, then change it.',
    },
    ru: {
      title: 'Вас добавили в {organisationName}',
      body: 'Вас добавили в {organisationName} на Efir с ролью {role}. Войдите с адресом {email} и паролем, который вам передал администратор, затем смените его.',
    },
    kk: {
      title: 'Сіз {organisationName} ұйымына қосылдыңыз',
      body: 'Сіз Efir жүйесінде {organisationName} ұйымына {role} рөлімен қосылдыңыз. {email} адресімен және әкімші берген құпиясөзбен кіріп, оны ауыстырыңыз.',
    },
  },
  'organisation.verified': {
    en: {
      title: '{organisationName} is verified',
      body: 'The Efir operator has verified {organisationName}. Your organisation now has full access to Efir.',
    },
    ru: {
      title: 'Организация {organisationName} подтверждена',
      body: 'Оператор Efir подтвердил организацию {organisationName}. Теперь вашей организации доступны все возможности Efir.',
    },
    kk: {
      title: '{organisationName} ұйымы расталды',
      body: 'Efir операторы {organisationName} ұйымын растады. Енді ұйымыңыз Efir мүмкіндіктерін толық пайдалана алады.',
    },
  },
};
