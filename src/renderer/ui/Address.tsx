/** An IP address that may break after its colons (an IPv6 address is up to 39 characters). */
import { Fragment } from 'react';

export function Address({ value }: { value: string }) {
  if (!value) return <>—</>;
  const parts = value.split(':');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              :<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
