#include "liveparser.h"

#include "codeeditor.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace Gatehouse {

LiveParser::LiveParser(CodeEditor *editor, const QString &objectName)
    : QObject(editor), m_editor(editor), m_timer(new QTimer(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const Result>>(this))
{
    setObjectName(objectName);
    m_timer->setSingleShot(true);
    m_timer->setInterval(m_delay);
    connect(m_timer, &QTimer::timeout, this, &LiveParser::start);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &LiveParser::finish);
    connect(editor->document(), &QTextDocument::contentsChanged, this, &LiveParser::schedule);
    m_timer->start(0);
}

LiveParser::~LiveParser()
{
    m_watcher->waitForFinished();   // the task reads nothing of ours, but its result must not leak
}

void LiveParser::setDelay(std::chrono::milliseconds delay)
{
    m_delay = delay;
    m_timer->setInterval(delay);
}

void LiveParser::schedule()
{
    m_timer->start(m_delay);
}

void LiveParser::parseNow()
{
    m_force = true;
    m_timer->start(0);
}

void LiveParser::start()
{
    if (m_running)
        return;   // finish() looks at the text again and starts over if it changed
    const QString text = m_editor->toPlainText();
    if (!m_force && m_parseCount > 0 && text == m_shownText)
        return;   // a re-highlight, or an undo back to the text already shown
    m_force = false;
    m_parsedText = text;
    m_running = true;
    m_watcher->setFuture(QtConcurrent::run(makeTask(text.toUtf8())));
}

void LiveParser::finish()
{
    m_running = false;
    const std::shared_ptr<const Result> result = m_watcher->result();
    if (m_editor->toPlainText() != m_parsedText) {
        // Diagnostics of older text would underline the wrong places: read the new text once the
        // typing pauses again.
        schedule();
        return;
    }
    ++m_parseCount;
    m_shownText = m_parsedText;
    m_lastFailed = !result->read;
    if (result->read) {
        keep(*result);
        m_everRead = true;
    }
    m_diagnostics = result->diagnostics;
    m_editor->setDiagnostics(m_diagnostics.items());
    emit updated();
    if (m_force)
        start();   // the project changed while this ran: check the same text against the new one
}

} // namespace Gatehouse
