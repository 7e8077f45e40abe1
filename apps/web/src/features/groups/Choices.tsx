import { useId, type ReactNode } from 'react';

/** A set of radio buttons in a fieldset, each choice with a sentence saying what it means. */
export function Choices<T extends string>({
  legend,
  name,
  value,
  onChange,
  options,
  error,
}: {
  legend: ReactNode;
  name: string;
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: ReactNode; help: ReactNode }[];
  error?: ReactNode;
}) {
  const id = useId();
  return (
    <fieldset className="mb-4" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium text-stone-800">{legend}</legend>
      <div className="space-y-2">
        {options.map((o) => (
          <label
            key={o.value}
            className="flex cursor-pointer gap-3 rounded-md border border-stone-300 bg-white p-3 has-[:checked]:border-amber-700 has-[:checked]:bg-amber-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-amber-700"
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              aria-labelledby={`${id}-${o.value}-label`}
              aria-describedby={`${id}-${o.value}`}
              className="mt-1 accent-amber-800"
            />
            <span>
              <span
                id={`${id}-${o.value}-label`}
                className="block text-sm font-medium text-stone-900"
              >
                {o.label}
              </span>
              <span id={`${id}-${o.value}`} className="block text-sm text-stone-700">
                {o.help}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
