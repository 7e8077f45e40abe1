import * as RTabs from '@radix-ui/react-tabs';
import type { ComponentProps } from 'react';

/** The app's tabs (Radix: arrow keys, roles): one look for every tab list. */
export const Tabs = RTabs.Root;
export const TabPanel = RTabs.Content;

export function TabList({ className = '', ...rest }: ComponentProps<typeof RTabs.List>) {
  return (
    <RTabs.List
      className={`flex gap-1 overflow-x-auto border-b border-stone-200 ${className}`}
      {...rest}
    />
  );
}

export function Tab({ className = '', ...rest }: ComponentProps<typeof RTabs.Trigger>) {
  return (
    <RTabs.Trigger
      className={`whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm font-medium text-stone-700 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-700 data-[state=active]:border-amber-800 data-[state=active]:text-amber-950 ${className}`}
      {...rest}
    />
  );
}
