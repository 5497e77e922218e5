import { NotBuiltYet } from '@/components/ui/NotBuiltYet';
import { PageHeader } from '@/components/ui/PageHeader';

export function TokensPage() {
  return (
    <>
      <PageHeader
        title="API Tokens"
        description="Your API tokens and, for administrators, every user's tokens."
      />
      <NotBuiltYet />
    </>
  );
}
