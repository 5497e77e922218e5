import { Link, type LinkProps } from 'react-router';

/** The look of a link inside text. */
export const LINK_CLASS = 'text-blue-700 underline dark:text-blue-300';

/** A link to a page of the console, inside text; extra classes with `className`. */
export function TextLink({ className = '', ...props }: LinkProps) {
  return <Link className={`${LINK_CLASS} ${className}`} {...props} />;
}
