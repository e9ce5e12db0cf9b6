-- Whether a unit code names a unit (issue #20): a screen asked for a unit outside the member's scope answers
-- "not found" when there is no such unit and "forbidden" when there is, instead of "forbidden" for both. Units
-- and their codes are public (the national statistical division codes); this says nothing more than yes or no.
create function public.unit_exists(p_code text) returns boolean
language sql stable security definer set search_path = '' as $$
	select exists (select 1 from public.units u where u.code = p_code)
$$;
revoke execute on function public.unit_exists(text) from public, anon;
grant execute on function public.unit_exists(text) to authenticated;
