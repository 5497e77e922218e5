import { Link } from 'react-router';
import { PageHeader } from '@/components/ui/PageHeader';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no page at this address." />
      <Link to="/" className="text-blue-700 underline dark:text-blue-300">
        Go to the start page
      </Link>
    </>
  );
}
