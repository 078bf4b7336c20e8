/**
 * Every example of RFC 5545 §3.8.5.3 at daily frequency or coarser (the HOURLY/MINUTELY ones and
 * the BYHOUR/BYMINUTE one are sub-daily and refused), with DTSTART in America/New_York as the RFC
 * writes them, plus the shapes the product form offers and zone-edge cases in 2026.
 * `years` is how far past DTSTART the comparison looks.
 */
export type RfcExample = { name: string; start: string; rrule: string; years: number; timeZone?: string };

export const RFC_EXAMPLES: RfcExample[] = [
  { name: 'Daily for 10 occurrences', start: '1997-09-02T09:00', rrule: 'FREQ=DAILY;COUNT=10', years: 1 },
  { name: 'Daily until December 24, 1997', start: '1997-09-02T09:00', rrule: 'FREQ=DAILY;UNTIL=19971224T000000Z', years: 1 },
  { name: 'Every other day - forever', start: '1997-09-02T09:00', rrule: 'FREQ=DAILY;INTERVAL=2', years: 2 },
  { name: 'Every 10 days, 5 occurrences', start: '1997-09-02T09:00', rrule: 'FREQ=DAILY;INTERVAL=10;COUNT=5', years: 1 },
  {
    name: 'Every day in January, for 3 years (yearly)',
    start: '1998-01-01T09:00',
    rrule: 'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    years: 3,
  },
  { name: 'Every day in January, for 3 years (daily)', start: '1998-01-01T09:00', rrule: 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1', years: 3 },
  { name: 'Weekly for 10 occurrences', start: '1997-09-02T09:00', rrule: 'FREQ=WEEKLY;COUNT=10', years: 1 },
  { name: 'Weekly until December 24, 1997', start: '1997-09-02T09:00', rrule: 'FREQ=WEEKLY;UNTIL=19971224T000000Z', years: 1 },
  { name: 'Every other week - forever', start: '1997-09-02T09:00', rrule: 'FREQ=WEEKLY;INTERVAL=2;WKST=SU', years: 2 },
  {
    name: 'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    start: '1997-09-02T09:00',
    rrule: 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
    years: 1,
  },
  { name: 'Weekly on Tuesday and Thursday for five weeks (COUNT)', start: '1997-09-02T09:00', rrule: 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH', years: 1 },
  {
    name: 'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    start: '1997-09-01T09:00',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
    years: 1,
  },
  {
    name: 'Every other week on Tuesday and Thursday, for 8 occurrences',
    start: '1997-09-02T09:00',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
    years: 1,
  },
  { name: 'Monthly on the first Friday for 10 occurrences', start: '1997-09-05T09:00', rrule: 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', years: 2 },
  { name: 'Monthly on the first Friday until December 24, 1997', start: '1997-09-05T09:00', rrule: 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR', years: 1 },
  {
    name: 'Every other month on the first and last Sunday of the month for 10 occurrences',
    start: '1997-09-07T09:00',
    rrule: 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    years: 2,
  },
  { name: 'Monthly on the second-to-last Monday of the month for 6 months', start: '1997-09-22T09:00', rrule: 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', years: 1 },
  { name: 'Monthly on the third-to-the-last day of the month, forever', start: '1997-09-28T09:00', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-3', years: 2 },
  { name: 'Monthly on the 2nd and 15th of the month for 10 occurrences', start: '1997-09-02T09:00', rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', years: 1 },
  {
    name: 'Monthly on the first and last day of the month for 10 occurrences',
    start: '1997-09-30T09:00',
    rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    years: 1,
  },
  {
    name: 'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    start: '1997-09-10T09:00',
    rrule: 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    years: 4,
  },
  { name: 'Every Tuesday, every other month', start: '1997-09-02T09:00', rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU', years: 2 },
  { name: 'Yearly in June and July for 10 occurrences', start: '1997-06-10T09:00', rrule: 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', years: 6 },
  {
    name: 'Every other year on January, February, and March for 10 occurrences',
    start: '1997-03-10T09:00',
    rrule: 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    years: 8,
  },
  {
    name: 'Every third year on the 1st, 100th, and 200th day for 10 occurrences',
    start: '1997-01-01T09:00',
    rrule: 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
    years: 10,
  },
  { name: 'Every 20th Monday of the year, forever', start: '1997-05-19T09:00', rrule: 'FREQ=YEARLY;BYDAY=20MO', years: 4 },
  { name: 'Monday of week number 20, forever', start: '1997-05-12T09:00', rrule: 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', years: 4 },
  { name: 'Every Thursday in March, forever', start: '1997-03-13T09:00', rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH', years: 3 },
  { name: 'Every Thursday, but only during June, July, and August, forever', start: '1997-06-05T09:00', rrule: 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8', years: 3 },
  { name: 'Every Friday the 13th, forever', start: '1997-09-02T09:00', rrule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', years: 4 },
  {
    name: 'The first Saturday that follows the first Sunday of the month, forever',
    start: '1997-09-13T09:00',
    rrule: 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    years: 2,
  },
  {
    name: 'U.S. Presidential Election day',
    start: '1996-11-05T09:00',
    rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    years: 13,
  },
  {
    name: 'The third instance of Tuesday, Wednesday, or Thursday, for the next 3 months',
    start: '1997-09-04T09:00',
    rrule: 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
    years: 1,
  },
  { name: 'The second-to-last weekday of the month', start: '1997-09-29T09:00', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', years: 2 },
  { name: 'WKST=MO changes the result', start: '1997-08-05T09:00', rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', years: 1 },
  { name: 'WKST=SU changes the result', start: '1997-08-05T09:00', rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', years: 1 },
  { name: 'An invalid date (February 30) is ignored', start: '2007-01-15T09:00', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5', years: 1 },
  // The shapes the event form offers, and times on the DST edges of 2026.
  { name: 'Last weekday of the month (Outlook)', start: '2026-01-30T09:00', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', years: 2 },
  { name: 'Last day of the month', start: '2026-01-31T16:00', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', years: 2 },
  { name: 'First and third Tuesday', start: '2026-01-06T10:30', rrule: 'FREQ=MONTHLY;BYDAY=1TU,3TU', years: 2 },
  { name: 'Yearly on a date, 29 February', start: '2028-02-29T09:00', rrule: 'FREQ=YEARLY', years: 9 },
  { name: 'Second Sunday of March at 02:30 (in the New York DST gap)', start: '2026-03-08T02:30', rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', years: 4 },
  { name: 'First Sunday of November at 01:30 (New York DST overlap)', start: '2026-11-01T01:30', rrule: 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU', years: 4 },
  {
    name: 'Weekly on Sunday and Wednesday, weeks from Sunday, in Sydney',
    start: '2026-03-29T09:00',
    rrule: 'FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,WE;WKST=SU',
    years: 1,
    timeZone: 'Australia/Sydney',
  },
  {
    name: 'Last Friday of each quarter in London',
    start: '2026-03-27T17:00',
    rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;UNTIL=20281231T000000Z',
    years: 3,
    timeZone: 'Europe/London',
  },
];
