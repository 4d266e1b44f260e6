import type { ReactNode } from 'react';

/** A labelled form control: the label names the control it wraps. */
export function Field({ label, narrow, children }: { label: string; narrow?: boolean; children: ReactNode }) {
  return (
    <label className={narrow ? 'field field-narrow' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}
