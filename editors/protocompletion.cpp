// ProtoCompletion: a small scanner over the text before the cursor (blocks, strings, comments)
// finds which option block the cursor is in; a QCompleter popup offers what fits there.
#include "protocompletion.h"

#include "codeeditor.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

namespace Gatehouse {

namespace {

bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'.'; }

// The kind of block a '{' opens, from the statement written before it.
QString blockKind(const QString &statement, const QString &enclosing)
{
    const QString s = statement.simplified();
    if (s.startsWith(u"service "))
        return QStringLiteral("service");
    if (s.startsWith(u"rpc "))
        return QStringLiteral("rpc");
    if (s.startsWith(u"option") && s.contains(u"(gatehouse.service)"))
        return QStringLiteral("gatehouse.service");
    if (s.startsWith(u"option") && s.contains(u"(gatehouse.method)"))
        return QStringLiteral("gatehouse.method");
    if (enclosing == u"gatehouse.service"
        && (s.startsWith(u"endpoints") || s.startsWith(u"sandbox_endpoints")))
        return QStringLiteral("endpoints");
    return QStringLiteral("other");
}

} // namespace

ProtoCompletions protoCompletions(QStringView text, const QStringList &tiers)
{
    // Walk the text once: the stack of open blocks, and the statement (or field) being written.
    QStringList stack;
    QString statement;
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inString) {
            statement += c;
            if (c == u'\\' && i + 1 < text.size())
                statement += text[++i];
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'/' && i + 1 < text.size() && text[i + 1] == u'/') {
            const qsizetype end = text.indexOf(u'\n', i);
            if (end < 0)
                return {};   // the cursor is in a comment
            i = end;
            statement += u' ';
            continue;
        }
        if (c == u'/' && i + 1 < text.size() && text[i + 1] == u'*') {
            const qsizetype end = text.indexOf(QStringView(u"*/"), i + 2);
            if (end < 0)
                return {};
            i = end + 1;
            continue;
        }
        if (c == u'"')
            inString = true;
        if (c == u'{') {
            stack.append(blockKind(statement, stack.value(stack.size() - 1)));
            statement.clear();
        } else if (c == u'}') {
            if (!stack.isEmpty())
                stack.removeLast();
            statement.clear();
        } else if (c == u';') {
            statement.clear();
        } else {
            statement += c;
        }
    }

    ProtoCompletions out;
    qsizetype start = text.size();
    while (start > 0 && isWordChar(text[start - 1]))
        --start;
    out.prefix = text.mid(start).toString();
    const QString block = stack.value(stack.size() - 1);
    const QString before = statement.left(statement.size() - out.prefix.size());
    const QString trimmed = before.trimmed();

    if (trimmed.endsWith(QStringLiteral("option ("))
        || trimmed.endsWith(QStringLiteral("option("))) {
        if (block == u"service")
            out.candidates = {QStringLiteral("gatehouse.service")};
        else if (block == u"rpc")
            out.candidates = {QStringLiteral("gatehouse.method")};
        return out;
    }
    if (inString) {   // throttling_tier: "Go|
        static const QRegularExpression tierField(QStringLiteral("throttling_tier\\s*:?\\s*\"$"));
        if (block.startsWith(u"gatehouse.") && tierField.match(before).hasMatch())
            out.candidates = tiers;
        return out;
    }
    if (!block.startsWith(u"gatehouse.") && block != u"endpoints")
        return {};
    // The field whose value is being written, if any: "security: [JWT, |" → security.
    static const QRegularExpression valueOf(QStringLiteral("([a-z_]+)\\s*:\\s*(\\[[^\\]]*)?$"));
    if (const QRegularExpressionMatch m = valueOf.match(before); m.hasMatch()) {
        const QString field = m.captured(1);
        if (field == u"security" && block == u"gatehouse.service")
            out.candidates = {QStringLiteral("JWT"), QStringLiteral("OAUTH2"), QStringLiteral("APIKEY"),
                              QStringLiteral("BASIC"), QStringLiteral("NONE")};
        else if (field == u"type" && block == u"endpoints")
            out.candidates = {QStringLiteral("LOAD_BALANCE"), QStringLiteral("FAILOVER")};
        return out;
    }
    if (block == u"gatehouse.service")
        out.candidates = {QStringLiteral("security"), QStringLiteral("throttling_tier"),
                          QStringLiteral("endpoints"), QStringLiteral("sandbox_endpoints")};
    else if (block == u"gatehouse.method")
        out.candidates = {QStringLiteral("scopes"), QStringLiteral("throttling_tier")};
    else
        out.candidates = {QStringLiteral("urls"), QStringLiteral("type"), QStringLiteral("timeout_ms")};
    return out;
}

ProtoCompletion::ProtoCompletion(CodeEditor *editor)
    : QObject(editor), m_editor(editor), m_completer(new QCompleter(this)),
      m_model(new QStringListModel(this))
{
    setObjectName(QStringLiteral("ProtoCompletion"));
    m_completer->setModel(m_model);
    m_completer->setWidget(editor);
    editor->setCompleter(m_completer);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &ProtoCompletion::insert);
    editor->installEventFilter(this);
    // After the editor has taken the key: the text before the cursor is then the new one.
    connect(editor->document(), &QTextDocument::contentsChange, this,
            [this](int, int removed, int added) {
                if (m_editor->hasFocus() && (added == 1 || removed == 1))
                    update(false);
            });
}

ProtoCompletion *ProtoCompletion::of(const CodeEditor *editor)
{
    return editor ? editor->findChild<ProtoCompletion *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ProtoCompletion::setTiers(const QStringList &tiers) { m_tiers = tiers; }

void ProtoCompletion::update(bool explicitly)
{
    const QTextCursor cursor = m_editor->textCursor();
    const QString before = m_editor->document()->toPlainText().left(cursor.position());
    const ProtoCompletions found = protoCompletions(before, m_tiers);
    // Unasked, offer only right after a trigger character or while a word is being typed.
    const QChar last = before.isEmpty() ? QChar() : before.back();
    const bool triggered = explicitly || !found.prefix.isEmpty()
                           || QStringView(u"(:\"[,{ ").contains(last);
    if (found.candidates.isEmpty() || !triggered
        || (!explicitly && found.candidates.contains(found.prefix))) {
        m_completer->popup()->hide();
        return;
    }
    m_prefix = found.prefix;
    m_model->setStringList(found.candidates);
    m_completer->setCompletionPrefix(found.prefix);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = m_editor->cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0)
                  + m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

void ProtoCompletion::insert(const QString &completion)
{
    QTextCursor cursor = m_editor->textCursor();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(m_prefix.size()));
    cursor.insertText(completion);
    m_editor->setTextCursor(cursor);
}

bool ProtoCompletion::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_editor || event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Space && key->modifiers() == Qt::ControlModifier) {
        update(true);
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace Gatehouse
