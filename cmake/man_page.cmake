# Writes the man page stillwater.1 from the binary's own help: `stillwater --help` and, for each
# command listed under its "Commands:", `stillwater COMMAND --help`. The help text is the one
# reference (src/cli/run_options.cpp), so the page never disagrees with it. Run at build time:
#   cmake -DBINARY=path/to/stillwater -DVERSION=0.1.0 -DOUT=stillwater.1 -P man_page.cmake
foreach(var BINARY VERSION OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "man_page.cmake: -D${var}= is required")
  endif()
endforeach()

function(help_of out)
  execute_process(COMMAND ${BINARY} ${ARGN} --help
    OUTPUT_VARIABLE text RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "man_page.cmake: `stillwater ${ARGN} --help` failed (${status}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The text as it is, line for line (.nf keeps the columns of the option tables): backslashes
# escaped, and lines that roff would read as requests (leading . or ') guarded.
function(roff_verbatim out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(REGEX REPLACE "\n+$" "" text "${text}")
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

help_of(main_help)
# The commands: the lines "  NAME ..." between "Commands:" and the next blank line.
string(REGEX MATCH "Commands:\n(.*)" after "${main_help}")
string(REGEX REPLACE "\n\n.*" "" commands_block "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "(^|\n)  [a-z][a-z-]*" lines "${commands_block}")
set(commands "")
foreach(line ${lines})
  string(STRIP "${line}" name)
  list(APPEND commands ${name})
endforeach()
if(NOT commands)
  message(FATAL_ERROR "man_page.cmake: found no commands in `stillwater --help`")
endif()

roff_verbatim(main_roff "${main_help}")
set(page ".TH STILLWATER 1 \"\" \"stillwater ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nstillwater \\- stabilize shaky video\n")
string(APPEND page ".SH SYNOPSIS\n.B stillwater\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n")
string(APPEND page ".SH DESCRIPTION\n${main_roff}")
string(APPEND page ".SH COMMANDS\n")
foreach(command ${commands})
  help_of(command_help ${command})
  roff_verbatim(command_roff "${command_help}")
  string(APPEND page ".SS ${command}\n${command_roff}")
endforeach()
string(APPEND page ".SH SEE ALSO\nThe documentation in /usr/share/doc/stillwater (README.md and docs/).\n")

# Rewritten only when it changes, so an unchanged page does not look new to make or ninja.
file(WRITE ${OUT}.tmp "${page}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
