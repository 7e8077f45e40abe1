import { type AppError, badInput, forbidden, notFound } from '@ruche/common';

export const IntegrationErrors = {
  notFound: (): AppError => notFound('No such integration'),
  groupNotFound: (): AppError => badInput('groupId', 'No such group'),
  lacks: (): AppError => forbidden('Managing integrations needs MANAGE_SETTINGS in this group'),
};
