# What `cmake --install BUILD --prefix P` installs (README.md, "Install"):
#   P/bin/telsim, P/bin/telsim-view
#   P/lib/telsim/plugins/*.so                the bundled policy plug-ins
#   P/include/telsim/{models,sim}/*.hpp      the plug-in headers
#   P/lib/telsim/libtelsim_sim_pic.a         the engine library a plug-in links
#   P/lib/cmake/telsim/                      find_package(telsim): telsim::plugin, telsim_add_plugin
#   P/share/man/man1/telsim.1, telsim-view.1, P/share/man/man5/telsim-scenario.5
#   P/share/telsim/scenarios/                the scenario library
#   P/share/doc/telsim/                      README, docs/, the example plug-ins' sources
# and `cpack -G DEB` in the build folder packs the same files for /usr.
include(CMakePackageConfigHelpers)

install(TARGETS telsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET telsim-view)
  install(TARGETS telsim-view RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(TARGETS telsim_plugin_redial_then_callback telsim_plugin_ringback_when_free
        LIBRARY DESTINATION ${TELSIM_INSTALL_PLUGINDIR})

# The plug-in SDK: the headers plugin_api.hpp needs, and no more.
install(FILES
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/completion_policy.hpp
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/ids.hpp
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/network_spec.hpp
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/param_decls.hpp
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/plugin_api.hpp
  ${PROJECT_SOURCE_DIR}/models/include/telsim/models/policy_registry.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/telsim/models)
install(FILES
  ${PROJECT_SOURCE_DIR}/sim/include/telsim/sim/distribution.hpp
  ${PROJECT_SOURCE_DIR}/sim/include/telsim/sim/random.hpp
  ${PROJECT_SOURCE_DIR}/sim/include/telsim/sim/time.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/telsim/sim)
install(TARGETS telsim_sim_pic telsim_plugin_api EXPORT telsimTargets
        ARCHIVE DESTINATION lib/telsim)
set(telsim_cmake_dir lib/cmake/telsim)
install(EXPORT telsimTargets NAMESPACE telsim:: DESTINATION ${telsim_cmake_dir})
file(STRINGS ${PROJECT_SOURCE_DIR}/models/include/telsim/models/plugin_api.hpp abi_line
     REGEX "^#define TELSIM_PLUGIN_ABI_VERSION [0-9]+")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" TELSIM_PLUGIN_ABI_VERSION "${abi_line}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/telsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/telsimConfig.cmake
  INSTALL_DESTINATION ${telsim_cmake_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR TELSIM_INSTALL_SCENARIODIR TELSIM_INSTALL_PLUGINDIR)
# A plug-in is tied to telsim's plug-in ABI rather than its version: any 0.x accepts it.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/telsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/telsimConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/telsimConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TelsimPlugin.cmake
        DESTINATION ${telsim_cmake_dir})

# Man pages: telsim(1) and telsim-view(1) are written by hand; telsim-scenario(5) is
# printed by telsim itself from the format's declaration, so it cannot drift.
set(telsim_man5 ${PROJECT_BINARY_DIR}/man/telsim-scenario.5)
add_custom_command(OUTPUT ${telsim_man5}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
  COMMAND telsim schema --man > ${telsim_man5}
  DEPENDS telsim
  COMMENT "telsim-scenario(5) from the scenario format's declaration")
add_custom_target(telsim_man_pages ALL DEPENDS ${telsim_man5})
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/telsim.1 ${PROJECT_SOURCE_DIR}/docs/man/telsim-view.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${telsim_man5} DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/library/ DESTINATION ${TELSIM_INSTALL_SCENARIODIR}
        FILES_MATCHING PATTERN "*.yaml")
# The documentation keeps the repository's layout (README.md beside docs/, the example
# plug-ins' sources in plugins/, the scenario library reached as scenarios/library), so
# that its relative links hold; links into the source tree's other folders (tests, tools)
# point into the repository.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/plugins/redial_then_callback.cpp
              ${PROJECT_SOURCE_DIR}/plugins/ringback_when_free.cpp
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/plugins)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/policy-plugin
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(CODE "
  set(link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}/scenarios/library\")
  file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}/scenarios\")
  file(CREATE_LINK ../../../telsim/scenarios \"\${link}\" SYMBOLIC)
")

# cpack -G DEB: the same files under /usr; dpkg-shlibdeps names the libraries it needs.
set(CPACK_PACKAGE_NAME telsim)
set(CPACK_PACKAGE_VENDOR "the telsim developers")
set(CPACK_PACKAGE_CONTACT "telsim developers <telsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "discrete-event simulator of circuit-switched telephony networks")
set(CPACK_PACKAGE_DESCRIPTION
    "telsim simulates exchanges joined by trunk groups, subscribers placing calls and "
    "call-completion policies (camp-on, callback, intrude, message), and reports blocking "
    "and completion statistics with confidence intervals beside Erlang's formulas. "
    "Includes telsim-view (Qt Charts), the scenario library and the plug-in SDK.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
include(CPack)
