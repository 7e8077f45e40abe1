// Posts as the other features show and write them: the card, and the composer (the face of
// @ruche/content's posts; the feeds that list them are in ../feed).
export { Composer } from './Composer';
export { PostCard } from './PostCard';
export { RichText } from './RichText';
