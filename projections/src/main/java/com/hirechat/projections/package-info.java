package com.hirechat.projections;
