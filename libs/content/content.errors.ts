import { AppError, badInput, conflict, forbidden, notFound } from '@ruche/common';

/**
 * The content domain's refusals. A post or comment the viewer may not read is NOT_FOUND, exactly
 * like a missing one; FORBIDDEN is for what the viewer reads but may not do.
 */
export const ContentErrors = {
  postNotFound: (): AppError => notFound('No such post'),
  commentNotFound: (): AppError => notFound('No such comment'),
  subjectNotFound: (): AppError => notFound('No such post or comment'),
  userNotFound: (field: string): AppError => new AppError('NOT_FOUND', 'No such user', { field }),
  groupNotFound: (field: string): AppError => new AppError('NOT_FOUND', 'No such group', { field }),
  lacks: (permission: string): AppError =>
    forbidden(`You need the ${permission} permission in this group`),
  authorOnly: (): AppError => forbidden('Only the author may edit this'),
  cannotDelete: (): AppError =>
    forbidden('Only the author, the wall owner or a group moderator may delete this'),
  guestAudience: (): AppError =>
    forbidden('Guests post only in their groups or to a custom audience'),
  announcement: (): AppError =>
    forbidden('Announcements are made by network admins, or by group admins inside their group'),
  cannotPin: (): AppError =>
    forbidden('Pinning needs PIN in the group, or network admin rights for a company-feed post'),
  notPinnable: (): AppError =>
    forbidden('Only group posts and company-feed (NETWORK) posts can be pinned'),
  noPoll: (): AppError => badInput('postId', 'This post has no poll'),
  pollClosed: (): AppError => conflict('postId', 'This poll is closed'),
  blank: (field: string): AppError => badInput(field, `${field} must not be blank`),
  emoji: (): AppError => badInput('emoji', 'emoji must be exactly one emoji'),
  tooManyReactions: (): AppError =>
    badInput('emoji', 'At most 20 different reactions per person here'),
};
