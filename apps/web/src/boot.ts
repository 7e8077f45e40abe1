// Evaluated first, before React, Apollo and the router: the session's refresh request leaves
// while the rest of the entry is still being compiled and run.
import { session } from './app/session';

void session.refresh();
