// The shared, styled primitives of the web app.
export { Avatar } from './Avatar';
export { Button } from './Button';
export { Confirm, Dialog } from './Dialog';
export { fieldProblem, hasCode, problemsOf, type ApiProblem } from './errors';
export { Select, TextArea, TextField } from './Field';
export { NotFound } from './NotFound';
export { Page } from './Page';
export { Problems } from './Problems';
export { Skeleton } from './Skeleton';
export { Time } from './Time';
export { Tab, TabList, TabPanel, Tabs } from './Tabs';
