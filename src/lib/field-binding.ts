import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

/** The dotted path of a value in a form's draft, e.g. 'authentication.rateLimit.burst' (lists are one value). */
export type Path<T> = {
  [K in keyof T & string]: T[K] extends readonly unknown[]
    ? K
    : T[K] extends object
      ? K | `${K}.${Path<T[K]>}`
      : K;
}[keyof T & string];

/** The type of the value at `P`. */
export type PathValue<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? PathValue<T[K], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

type Tree = Record<string, unknown>;

/**
 * Binds form fields to a draft by path, instead of repeating on every field its value, the message for
 * its path, whether it may be changed and how the change is made: `<NumberField {...bind('a.b')} />`.
 * Every field of src/components/ui takes these four props.
 */
export function fieldBinder<T extends object>(form: {
  draft: T;
  /** Applies a change to a copy of the draft. */
  update: (change: (draft: T) => void) => void;
  /** Path → message. */
  errors: Record<string, string>;
  readOnly?: boolean;
}) {
  return <P extends Path<T>>(path: P) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parentOf = (tree: T) => keys.reduce<Tree>((node, key) => node[key] as Tree, tree as Tree);
    return {
      value: parentOf(form.draft)[last] as PathValue<T, P>,
      error: form.errors[path],
      disabled: form.readOnly,
      onValueChange: (value: PathValue<T, P>) => form.update((draft) => void (parentOf(draft)[last] = value)),
    };
  };
}

/** fieldBinder's `update` for a draft held in React state: each change applies to a copy; `then` runs after. */
export function copyUpdater<T>(setDraft: Dispatch<SetStateAction<T>>, then?: () => void) {
  return (change: (draft: T) => void) => {
    setDraft((draft) => {
      const next = structuredClone(draft);
      change(next);
      return next;
    });
    then?.();
  };
}

/**
 * A refused submit moves the focus to the first field marked invalid (`aria-invalid`), once the form
 * shows its messages: `[formRef, refused]`, the ref for the form and what to call on a refusal.
 */
export function useFocusFirstInvalid() {
  const ref = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  return [ref, () => setRefusals((n) => n + 1)] as const;
}
