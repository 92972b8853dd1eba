/**
 * A page's h1; it takes focus when the person moves to the page (not on a fresh load), so keyboard and
 * screen-reader users start at the new page rather than wherever focus was left.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { hasMoved } from '../lib/router';

export function PageHeading({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasMoved() && !document.querySelector('dialog[open]')) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
