// A lesson beside the playground's panes: where it is in the tour (and the
// list of lessons), its text, what Check found, and Check, Reveal solution,
// Previous and Next.
import { lessonPath } from '../state/tour';
import { useStore } from '../state/store';
import { CheckResults } from './CheckResults';
import { LessonList } from './LessonList';
import { Markdown } from './Markdown';
import { useTourLink } from './useTourLink';

export function LessonPanel() {
  const lesson = useStore((s) => s.lesson);
  const n = useStore((s) => s.lessonNumber);
  const lessons = useStore((s) => s.lessons);
  const loading = useStore((s) => s.lessonLoading);
  const error = useStore((s) => s.lessonError);
  const checking = useStore((s) => s.tourCheck.state === 'checking');
  const passed = useStore((s) => (s.lesson ? s.passedLessons.includes(s.lesson.slug) : false));
  const done = useStore((s) => (s.lessons ? s.lessons.filter((l) => s.passedLessons.includes(l.slug)).length : 0));
  const { checkLesson, revealSolution, navigate } = useStore.getState();
  const link = useTourLink();
  const total = lessons?.length ?? 0;
  const checkable = !!lesson && lesson.expectations.length > 0 && lesson.requests.length > 0;

  const reveal = () => {
    if (!window.confirm('Load the solution? It replaces your code for this lesson (Share first to keep a link to it).')) return;
    revealSolution();
  };

  return (
    <aside className="lesson-panel" aria-label="Lesson">
      <header className="lesson-head">
        <a {...link('/tour')} className="small">
          The tour
        </a>
        <span className="muted small" data-testid="lesson-position">
          {n !== null && total > 0 ? `Lesson ${n} of ${total}` : ''}
        </span>
        {passed && (
          <span className="badge ok" data-testid="lesson-passed">
            ✓ passed
          </span>
        )}
        <span className="spacer" />
        <a {...link('/')} className="small" title="Keep this lesson's code in the playground">
          Leave the tour
        </a>
      </header>
      {lessons && lessons.length > 0 && (
        <details className="lesson-nav">
          <summary className="small">
            Lessons ({done} of {total} passed)
          </summary>
          <LessonList />
        </details>
      )}
      <div className="lesson-body">
        {loading && !lesson && <p className="muted">Loading the lesson…</p>}
        {error && <p className="error-text">{error}</p>}
        {lesson && <Markdown text={lesson.text} className="markdown lesson-text" />}
        {lesson && !checkable && <p className="muted">This lesson has nothing to check: read it, run the code, and go on.</p>}
        <CheckResults />
      </div>
      <footer className="lesson-actions">
        <button className="primary" onClick={() => void checkLesson()} disabled={!checkable || checking} aria-label="Check" title="Build your plugin, send the lesson's requests and check what they show">
          {checking ? 'Checking…' : 'Check'}
        </button>
        <button onClick={reveal} disabled={!lesson || !Object.keys(lesson.solution).length} aria-label="Reveal solution">
          Reveal solution
        </button>
        <span className="spacer" />
        <button onClick={() => n !== null && void navigate(lessonPath(n - 1))} disabled={n === null || n <= 1} aria-label="Previous lesson" title="Previous lesson">
          ←
        </button>
        <button onClick={() => n !== null && void navigate(lessonPath(n + 1))} disabled={n === null || n >= total} aria-label="Next lesson" title="Next lesson">
          →
        </button>
      </footer>
    </aside>
  );
}
