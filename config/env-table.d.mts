export function variables(
  text?: string,
): { name: string; value: string; set: boolean; about: string }[];
export function table(): string;
export function renderedReadme(readme?: string): string;
