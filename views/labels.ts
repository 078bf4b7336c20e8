import { departments, roles } from '../db/schema';

/** Roles as people say them; the one table every page uses (codes stay in forms' values and the API). */
const ROLE_LABELS: Record<(typeof roles)[number], string> = { hr: 'HR', manager: 'Manager', employee: 'Employee' };
/** Departments as people say them. */
const DEPARTMENT_LABELS: Record<(typeof departments)[number], string> = { sales: 'Sales', marketing: 'Marketing', other: 'Other' };

export const roleLabel = (role: string) => (ROLE_LABELS as Record<string, string>)[role] ?? role;
export const departmentLabel = (department: string) => (DEPARTMENT_LABELS as Record<string, string>)[department] ?? department;

export const roleOptions = roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
export const departmentOptions = departments.map((d) => ({ value: d, label: DEPARTMENT_LABELS[d] }));

/** A person or team in a select, with the department in words: 'Sales West (Sales)'. */
export const withDepartment = (item: { name: string; department: string }) => `${item.name} (${departmentLabel(item.department)})`;
