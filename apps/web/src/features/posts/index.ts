// Posts as the other features show and write them: the card, and the composer.
export { Composer } from './Composer';
export { PostCard } from './PostCard';
