package com.hirechat.commands;
