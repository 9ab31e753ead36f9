// The Traces dock's Replay tab: a captured request's recorded answer next to the answer it gets
// now, the differences (status, header lines, body lines; JSON pretty-printed first) and the
// new trace's Explain.
#pragma once

#include "tracereplay.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTextEdit;

namespace Gatehouse {

class ReplayCompareView : public QWidget
{
    Q_OBJECT
public:
    explicit ReplayCompareView(QWidget *parent = nullptr);

    // Nothing replayed: `text` says what to do (or why a replay was refused).
    void showMessage(const QString &text);
    void showRunning(const TraceRecord &recorded);
    void showOutcome(const TraceRecord &recorded, const ReplayOutcome &outcome);

    QString summaryText() const;           // "Status 200 → 403", or the message shown
    QString explainText() const;           // the new trace's Explain, plain text
    const QList<DiffLine> &headerDiff() const { return m_headerDiff; }
    const QList<DiffLine> &bodyDiff() const { return m_bodyDiff; }
    QPlainTextEdit *recordedView() const { return m_recorded; }
    QPlainTextEdit *replayedView() const { return m_replayed; }
    QTextEdit *diffView() const { return m_diff; }

private:
    void clearCompare();

    QLabel *m_summary;
    QLabel *m_explain;
    QLabel *m_recordedTitle;
    QLabel *m_replayedTitle;
    QPlainTextEdit *m_recorded;
    QPlainTextEdit *m_replayed;
    QTextEdit *m_diff;
    QList<DiffLine> m_headerDiff;
    QList<DiffLine> m_bodyDiff;
};

} // namespace Gatehouse
