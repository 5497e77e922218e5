import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { myselfQueryOptions } from '@/features/account/api';
import { landingPath } from './navigation';

export function LandingRedirect() {
  const { data: myself } = useQuery(myselfQueryOptions);
  if (!myself) return null;
  return <Navigate to={landingPath(myself.permissions)} replace />;
}
