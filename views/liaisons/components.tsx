/** The tag colour of a suggestion's status in a liaison's backlog; feedback shows the same colours. */
export const backlogTag = (status: string) => (status === 'rejected' ? 'bad' : status === 'done' ? 'done' : status === 'accepted' ? 'accepted' : 'warn');
