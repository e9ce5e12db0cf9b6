/** Words of the special-groups screens in the user's language. */
import {
	NEEDS as NEED_CODES,
	SPECIAL_GROUPS,
	type Need,
	type RequestKind,
	type RequestStatus,
	type ResidentProblem
} from '$lib/domain/care';
import type { Labels } from '$lib/domain/resident-import';
import { m } from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { GROUP_MESSAGES, type LocalizedMessage } from '../labels';
export { specialGroupLabel } from '../labels';

const NEEDS: Record<Need, LocalizedMessage> = {
	food: m.care_need_food,
	medicine: m.care_need_medicine,
	medical_visit: m.care_need_medical_visit,
	counselling: m.care_need_counselling,
	supplies: m.care_need_supplies,
	daily_call: m.care_need_daily_call,
	transport: m.care_need_transport
};
export const needLabel = (n: string): string => NEEDS[n as Need]?.() ?? n;

const KINDS: Record<RequestKind, () => string> = {
	food: m.care_need_food,
	medicine: m.care_need_medicine,
	medical_visit: m.care_need_medical_visit,
	counselling: m.care_need_counselling,
	supplies: m.care_need_supplies,
	transport: m.care_need_transport,
	other: m.care_kind_other
};
export const requestKindLabel = (k: string): string => KINDS[k as RequestKind]?.() ?? k;

const STATUSES: Record<RequestStatus, () => string> = {
	open: m.care_status_open,
	assigned: m.care_status_assigned,
	in_progress: m.care_status_in_progress,
	done: m.care_status_done,
	cancelled: m.care_status_cancelled
};
export const requestStatusLabel = (s: string): string => STATUSES[s as RequestStatus]?.() ?? s;

/** The button that moves a request to `s`. */
const ACTIONS: Record<RequestStatus, () => string> = {
	open: m.care_status_open,
	assigned: m.care_action_assign,
	in_progress: m.care_action_start,
	done: m.care_action_done,
	cancelled: m.care_action_cancel
};
export const requestActionLabel = (s: RequestStatus): string => ACTIONS[s]();

const PROBLEMS: Record<ResidentProblem, () => string> = {
	household: m.care_problem_household,
	name: m.care_problem_name,
	birth_year: m.care_problem_birth_year,
	id_number: m.care_problem_id_number,
	phone: m.care_problem_phone,
	groups: m.care_problem_groups,
	needs: m.care_problem_needs,
	isolation_until: m.care_problem_isolation_until,
	note: m.care_problem_note
};
export const residentProblemLabel = (p: ResidentProblem): string => PROBLEMS[p]();

/** Every label of every group and need in every language the app speaks, for reading a spreadsheet. */
export function labelsInEveryLocale(): Labels {
	const every = (message: LocalizedMessage) => locales.map((locale) => message({}, { locale }));
	return {
		groups: Object.fromEntries(SPECIAL_GROUPS.map((g) => [g, every(GROUP_MESSAGES[g])])),
		needs: Object.fromEntries(NEED_CODES.map((n) => [n, every(NEEDS[n])]))
	};
}
