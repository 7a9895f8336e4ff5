// The tour's lessons, each a link, the ones passed marked ✓ and the open one
// marked as the current page.
import { lessonPath } from '../state/tour';
import { useStore } from '../state/store';
import { useTourLink } from './useTourLink';

export function LessonList() {
  const lessons = useStore((s) => s.lessons);
  const passed = useStore((s) => s.passedLessons);
  const current = useStore((s) => (s.tourRoute.view === 'lesson' ? s.lessonNumber : null));
  const link = useTourLink();
  if (!lessons) return null;
  return (
    <ol className="lesson-list" aria-label="Lessons">
      {lessons.map((l, i) => {
        const done = passed.includes(l.slug);
        return (
          <li key={l.slug} data-lesson={l.slug} data-passed={done ? 'true' : 'false'}>
            <a {...link(lessonPath(i + 1))} aria-current={current === i + 1 ? 'page' : undefined}>
              <span className={`lesson-mark ${done ? 'done' : ''}`} aria-label={done ? 'passed' : 'not passed yet'}>
                {done ? '✓' : i + 1}
              </span>
              {l.title}
            </a>
          </li>
        );
      })}
    </ol>
  );
}
