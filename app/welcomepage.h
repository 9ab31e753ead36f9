// WelcomePage: what the editor area shows when no file is open: what the project contains and the
// next steps (start the gateway, open an API, create or open a project).
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace Gatehouse {

struct Project;

class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // Describes the project (the bundled sample gets its own introduction).
    void setProject(const Project &project);
    void setGatewayRunning(bool running);

    QString summaryText() const;
    QPushButton *startButton() const { return m_start; }
    QPushButton *openApiButton() const { return m_openApi; }

signals:
    void startGatewayRequested();
    void openApiRequested();
    void newProjectRequested();
    void openProjectRequested();

private:
    QLabel *m_title;
    QLabel *m_summary;
    QLabel *m_steps;
    QPushButton *m_start;
    QPushButton *m_openApi;
    QPushButton *m_newProject;
    QPushButton *m_openProject;
    bool m_hasProject = false;
    bool m_running = false;
};

} // namespace Gatehouse
