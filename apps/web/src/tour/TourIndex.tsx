// /tour: what the tour is, its lessons (the ones passed marked ✓), and where
// to start or go on.
import { lessonPath } from '../state/tour';
import { useStore } from '../state/store';
import { LessonList } from './LessonList';
import { useTourLink } from './useTourLink';

export function TourIndex() {
  const lessons = useStore((s) => s.lessons);
  const error = useStore((s) => s.lessonsError);
  const passed = useStore((s) => s.passedLessons);
  const link = useTourLink();
  const next = lessons ? lessons.findIndex((l) => !passed.includes(l.slug)) : -1;
  const done = lessons ? lessons.filter((l) => passed.includes(l.slug)).length : 0;
  return (
    <main className="tour-index" aria-label="The tour">
      <div className="tour-index-inner">
        <h2>Learn the SDK: the tour</h2>
        <p>
          Each lesson explains a part of the wasm-go SDK beside the editor, the request builder and the output panes you know from the playground, and
          ends with an exercise. <strong>Check</strong> builds your plugin, sends the lesson&apos;s requests and tells you, point by point, what holds.
          Your progress is kept in this browser.
        </p>
        {error && <p className="error-text">{error}</p>}
        {!lessons && !error && <p className="muted">Loading the lessons…</p>}
        {lessons && lessons.length === 0 && <p className="muted">There are no lessons on this server yet.</p>}
        {lessons && lessons.length > 0 && (
          <p className="muted" data-testid="tour-progress">
            {done} of {lessons.length} lessons passed
          </p>
        )}
        <LessonList />
        <p className="tour-index-actions">
          {lessons && lessons.length > 0 && (
            <a className="button primary" {...link(lessonPath(next === -1 ? 1 : next + 1))}>
              {done === 0 ? 'Start with lesson 1' : next === -1 ? 'All passed: start again' : `Continue with lesson ${next + 1}`}
            </a>
          )}
          <a {...link('/')}>Back to the playground</a>
        </p>
      </div>
    </main>
  );
}
