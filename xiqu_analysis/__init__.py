"""xiqu_analysis: economic scenarios for Xiqu district (攀枝花市西区), Panzhihua.

Sub-modules by job: :mod:`units` and :mod:`data` (figures with provenance),
:mod:`audit` (source audit), :mod:`scenario` (schema), :mod:`projection` and
:mod:`targets`, :mod:`uncertainty` and :mod:`sensitivity`, :mod:`statistics`
(statsmodels on bulletin series), :mod:`plots`, :mod:`text` (every report
label and sentence), :mod:`report`, :mod:`runner`, :mod:`cli`.
"""
__version__ = "0.1.0"
