# telsim_add_plugin(<target> NAME <plug-in name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a completion-policy plug-in: the shared object <plug-in name>.so (no "lib"
# prefix: a bare name N in a scenario's `plugins:` finds N.so) in <dir>. The default
# <dir> is the build's plug-in folder inside this repository (TELSIM_PLUGIN_DIR), and
# the current build folder elsewhere. Only the entry point is exported; the static
# engine library it links stays private to it.
#
# The same function serves this repository's build and projects outside it, which get
# it from the installed CMake package: find_package(telsim) (docs/reference/plugin-api.md).
function(telsim_add_plugin target)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_NAME)
    message(FATAL_ERROR "telsim_add_plugin(${target}): NAME is required")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "telsim_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT ARG_OUTPUT_DIRECTORY)
    if(DEFINED TELSIM_PLUGIN_DIR)
      set(ARG_OUTPUT_DIRECTORY ${TELSIM_PLUGIN_DIR})
    else()
      set(ARG_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    endif()
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE telsim::plugin)
  if(TARGET telsim_warnings)
    target_link_libraries(${target} PRIVATE telsim_warnings)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    OUTPUT_NAME ${ARG_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL -Wl,--no-undefined)
  endif()
endfunction()
