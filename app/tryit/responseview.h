// ResponseView: the try-it console's answer: a status line coloured by class with time and size,
// then the body (pretty JSON in the read-only code editor), the headers and the raw message.
#pragma once

#include "tryitmodel.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableWidget;

namespace Gatehouse {

class CodeEditor;

class ResponseView : public QWidget
{
    Q_OBJECT
public:
    explicit ResponseView(QWidget *parent = nullptr);

    void clear();
    void showPending(const QString &method, const QString &url);
    void showResponse(const TryItResponse &response);
    void showMessage(const QString &sentence);   // an error or notice instead of a response

    // For tests and tools: what is on screen.
    QString statusText() const;
    QString metaText() const;
    QString messageText() const;
    QString bodyText() const;
    QString rawText() const;
    QString headerValue(const QString &name) const;
    bool isShowingResponse() const;
    QTabWidget *tabs() const { return m_tabs; }

    // The colour of a status class (2xx green ...); 0 = a failed request.
    static QColor statusColor(int status);

private:
    void setStatus(const QString &text, const QColor &color);

    QLabel *m_status;
    QLabel *m_meta;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QTabWidget *m_tabs;
    CodeEditor *m_body;
    QTableWidget *m_headers;
    QPlainTextEdit *m_raw;
};

} // namespace Gatehouse
