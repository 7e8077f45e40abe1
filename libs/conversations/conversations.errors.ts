import { AppError, badInput, notFound } from '@ruche/common';

/**
 * The conversations domain's refusals. A conversation or message the viewer may not read is
 * NOT_FOUND, exactly like a missing one.
 */
export const ConversationErrors = {
  conversationNotFound: (): AppError => notFound('No such conversation'),
  messageNotFound: (): AppError => notFound('No such message'),
  userNotFound: (field: string): AppError => new AppError('NOT_FOUND', 'No such user', { field }),
  blank: (field: string): AppError => badInput(field, `${field} must not be blank`),
  tooLong: (field: string, max: number): AppError =>
    badInput(field, `${field} is longer than ${max} characters`),
  tooMany: (field: string, max: number): AppError =>
    badInput(field, `A conversation holds at most ${max} participants`),
  noOne: (): AppError => badInput('participantIds', 'Name at least one other person'),
  oneToOne: (field: string): AppError =>
    badInput(field, 'A one-to-one conversation keeps its two people; start a new conversation'),
  authorOnly: (): AppError => new AppError('FORBIDDEN', 'Only the author may change this message'),
  systemLine: (): AppError => badInput('id', 'A system line cannot be changed'),
};
