/**
 * A table that may scroll sideways, reachable from the keyboard: antd's scroll container gets
 * `tabindex="0"`, the role of a region and a name, so that a keyboard user can focus it and scroll
 * with the arrow keys (WCAG 2.1.1; axe's `scrollable-region-focusable`). Needed where the rows
 * hold nothing focusable of their own; where they hold links or buttons, those already reach it.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function KeyboardScroll({
  label,
  children,
}: {
  readonly label: string;
  readonly children: ReactNode;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // After every render: antd may have made the container anew.
    const scroller = ref.current?.querySelector('.ant-table-content');
    if (scroller === null || scroller === undefined) return;
    scroller.setAttribute('tabindex', '0');
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', label);
  });
  return <div ref={ref}>{children}</div>;
}
