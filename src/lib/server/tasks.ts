/** A volunteer's own tasks (migration 20261129001800): what is assigned to them, and moving a request on. */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RequestKind, RequestStatus } from '$lib/domain/care';
import type { LeadKind } from '$lib/domain/leads';
import type { LeadStatus } from '$lib/domain/map-features';
import { check } from './db-error';

export interface TaskRequest {
	id: number;
	kind: RequestKind;
	status: RequestStatus;
	detail: string | null;
	due_at: string | null;
	created_at: string;
	done_at: string | null;
	/** Masked: 张*. */
	resident: string;
	phone_masked: string | null;
	building: string;
	room: string;
	grid: string;
}

export interface TaskLead {
	id: number;
	title: string;
	kind: LeadKind;
	status: LeadStatus;
	deadline: string | null;
	grid: string;
}

export interface Tasks {
	requests: TaskRequest[];
	leads: TaskLead[];
}

export async function mine(supabase: SupabaseClient): Promise<Tasks> {
	return check('my_tasks', await supabase.rpc('my_tasks')) as Tasks;
}

export async function move(supabase: SupabaseClient, id: number, status: RequestStatus): Promise<void> {
	check('update_my_request', await supabase.rpc('update_my_request', { p_request_id: id, p_status: status }));
}
