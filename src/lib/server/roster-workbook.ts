/**
 * The roster written as a workbook (ExcelJS): the gap grid and the shifts. Reading uploads and plain tables as
 * sheets are in ./workbook.
 */
import ExcelJS from 'exceljs';
import { cellReading, gapClass, type RosterGrid } from '$lib/domain/roster';
import type { ExportRow } from './roster';

const STATUS_TEXT: Record<string, string> = {
	planned: '已排班',
	done: '已完成',
	cancelled: '已取消',
	no_show: '缺勤'
};

const GAP_FILL: Record<string, string> = {
	full: 'FFC8E6C9',
	short: 'FFFFE0B2',
	uncovered: 'FFFFCCBC',
	empty: 'FFFFCDD2',
	closed: 'FFECEFF1'
};

/** China Standard Time as people read it: 2031-06-02 08:00. */
function local(iso: string): string {
	return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The roster as an .xlsx: sheet 排班缺口 (checkpoints × slots, "fewest–most/required" and the hours nobody is
 * there, coloured by what is missing; the gap in seat-hours) and sheet
 * 班次 (one row per shift of the day).
 */
export async function rosterWorkbook(
	unitName: string,
	day: string,
	grid: RosterGrid,
	shifts: ExportRow[],
	kindLabel: (kind: string) => string
): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = '网格通';
	workbook.created = new Date();

	const gaps = workbook.addWorksheet('排班缺口');
	gaps.addRow([`${unitName} ${day} 排班缺口（同时在岗最少–最多/需要；无人时段）`]);
	gaps.addRow(['检查点', '类型', '社区', ...grid.slots.map((s) => s.label), '缺口（人·小时）']);
	for (const cp of grid.checkpoints) {
		const row = gaps.addRow([
			cp.name,
			kindLabel(cp.kind),
			cp.community_name,
			...cp.cells.map((c) => {
				if (c.required === 0) return '不开放';
				const { count, nobody } = cellReading(c);
				if (c.peak === 0) return `${count} 无人`;
				return nobody.length ? `${count} ${nobody.map((n) => `${n.from}–${n.to}`).join('、')}无人` : count;
			}),
			cp.gap
		]);
		cp.cells.forEach((c, i) => {
			row.getCell(4 + i).fill = {
				type: 'pattern',
				pattern: 'solid',
				fgColor: { argb: GAP_FILL[gapClass(c)] }
			};
		});
	}
	gaps.getRow(1).font = { bold: true, size: 13 };
	gaps.getRow(2).font = { bold: true };
	gaps.columns.forEach((col, i) => (col.width = i === 0 ? 22 : i < 3 ? 12 : 10));

	const list = workbook.addWorksheet('班次');
	list.addRow([
		'检查点',
		'社区',
		'志愿者',
		'手机号',
		'所属组织',
		'所属队伍',
		'居住社区',
		'借调',
		'开始',
		'结束',
		'状态'
	]);
	for (const s of shifts) {
		list.addRow([
			s.checkpoint_name,
			s.community_name,
			s.volunteer_name,
			s.phone_masked ?? '',
			s.organisation_name ?? '',
			s.team_name ?? '',
			s.home_community_name,
			s.lent ? '是' : '否',
			local(s.starts),
			local(s.ends),
			STATUS_TEXT[s.status] ?? s.status
		]);
	}
	list.getRow(1).font = { bold: true };
	list.columns.forEach((col, i) => (col.width = [22, 12, 10, 14, 26, 30, 12, 6, 17, 17, 8][i]));

	return Buffer.from(await workbook.xlsx.writeBuffer());
}
