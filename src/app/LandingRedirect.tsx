import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { myselfQueryOptions } from '@/lib/auth';
import { landingPath } from './navigation';

export function LandingRedirect() {
  const { data: myself } = useQuery(myselfQueryOptions);
  if (!myself) return null;
  return <Navigate to={landingPath(myself)} replace />;
}
