/* plugins.c — LocalFile's registry entry: its source and its sink. */
#include "localfile.h"

const cv_plugin *const cv_plugins_connectors_localfile[] = {&cv__localfile_source, &cv__localfile_sink, NULL};
